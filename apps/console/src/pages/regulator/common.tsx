import { Button, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, download, unwrap } from '../../api/client';
import { ShortId } from '../../components/ShortId';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';

export function PageTitle({ children }: { children: string }) {
  return (
    <Typography.Title level={1} style={{ fontSize: 24 }}>
      {children}
    </Typography.Title>
  );
}

/** The CSV of a figure (`?format=csv`), saved by the browser with the session's token. */
export function CsvButton({ path, filename, label }: { path: string; filename: string; label: string }) {
  const { t } = useI18n();
  const action = useAction(() => download(path, filename), t('regulator.csv.saved'));
  return (
    <Button onClick={() => void action.run()} loading={action.running} aria-label={label}>
      {t('app.downloadCsv')}
    </Button>
  );
}

const organisationNames = new Map<string, Promise<string | null>>();

/** An organisation's registered name, asked once per page load (overseers may read any organisation). */
function organisationName(id: string): Promise<string | null> {
  let name = organisationNames.get(id);
  if (!name) {
    name = unwrap(api.GET('/v1/organisations/{id}', { params: { path: { id } } })).then(
      (o) => o.name,
      () => null,
    );
    organisationNames.set(id, name);
  }
  return name;
}

/** An organisation by its registered name, its short id beside it (the short id alone until the name is known). */
export function OrganisationName({ id }: { id: string | null | undefined }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setName(null);
    if (id) void organisationName(id).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id]);
  if (!id) return <span>—</span>;
  return (
    <span>
      {name && <span style={{ marginRight: 4 }}>{name}</span>}
      <ShortId id={id} />
    </span>
  );
}
