import { Alert, Button, Space, Table, type TableProps } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { describeError } from './errors';

export interface Page<T> {
  items: T[];
  next?: string | null;
}

interface Props<T> extends Omit<TableProps<T>, 'dataSource' | 'pagination' | 'loading'> {
  /** Loads the page after `after` (undefined for the first). Change its identity to reload from the first page. */
  load: (after: string | undefined) => Promise<Page<T>>;
  /** Bump to reload the current first page (after an action changed the list). */
  reloadKey?: unknown;
}

/** A table over the API's cursor pages (`{ items, next }`): first page, next page, and back along the pages seen. */
export function PagedTable<T extends object>({ load, reloadKey, ...table }: Props<T>) {
  const { t } = useI18n();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = cursors[cursors.length - 1];
  // Only the newest request may fill the table: a slow answer to an older one (the empty search before the typed
  // one) must not overwrite it.
  const latest = useRef(0);

  const fetchPage = useCallback(
    async (after: string | undefined) => {
      const request = ++latest.current;
      setLoading(true);
      setError(null);
      try {
        const result = await load(after);
        if (request === latest.current) setPage(result);
      } catch (caught) {
        if (request === latest.current) setError(describeError(caught, t));
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [load, t],
  );

  useEffect(() => setCursors([undefined]), [load, reloadKey]);
  useEffect(() => void fetchPage(current), [fetchPage, current, reloadKey]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<T>
        {...table}
        dataSource={page?.items ?? []}
        loading={loading}
        pagination={false}
        locale={{ emptyText: t('app.empty') }}
      />
      <Space>
        <Button disabled={cursors.length === 1} onClick={() => setCursors([undefined])}>
          {t('app.firstPage')}
        </Button>
        <Button disabled={!page?.next} onClick={() => setCursors((c) => [...c, page?.next ?? undefined])}>
          {t('app.nextPage')}
        </Button>
        <Button onClick={() => void fetchPage(current)}>{t('app.refresh')}</Button>
      </Space>
    </Space>
  );
}
