import { formatDate, formatDateTime } from '../format/dates';
import { formatYuan } from '../format/money';
import { useI18n } from '../i18n/i18n';

/** An amount of integer fen, shown in yuan. */
export function Yuan({ fen }: { fen: string | number | bigint | null | undefined }) {
  const { locale } = useI18n();
  return <span className="money">{fen === null || fen === undefined ? '—' : formatYuan(fen, locale)}</span>;
}

/** A moment, in Beijing time. */
export function DateTime({ iso, dateOnly }: { iso: string | null | undefined; dateOnly?: boolean }) {
  const { locale } = useI18n();
  return (
    <time dateTime={iso ?? undefined}>
      {dateOnly ? formatDate(iso, locale) : formatDateTime(iso, locale)}
    </time>
  );
}
