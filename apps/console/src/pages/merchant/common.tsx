import { Tag } from 'antd';
import type { DataLevel } from '@app/compliance';
import { catalogs } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';

const LEVEL_COLOURS: Record<DataLevel, string> = { general: 'green', important: 'orange', core: 'red' };

/** A data level (DS 21) as a coloured tag, in words. */
export function LevelTag({ level }: { level: DataLevel | null | undefined }) {
  const { tDynamic } = useI18n();
  if (!level) return <>—</>;
  return <Tag color={LEVEL_COLOURS[level]}>{tDynamic(`merchant.level.${level}`)}</Tag>;
}

const STATUS_COLOURS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  'changes-requested': 'warning',
  approved: 'cyan',
  registered: 'success',
  published: 'success',
  rejected: 'error',
  suspended: 'warning',
  cancelled: 'default',
  withdrawn: 'default',
  destroyed: 'default',
};

/** A state of an asset or a listing (`merchant.state.<s>`), as a tag. */
export function StateTag({ state }: { state: string }) {
  const { tDynamic } = useI18n();
  return <Tag color={STATUS_COLOURS[state] ?? 'default'}>{tDynamic(`merchant.state.${state}`)}</Tag>;
}

/** A whole page of a list that is not cursor-paged (the API answers it at once), for PagedTable. */
export const onePage = <T,>(items: T[]) => ({ items, next: null });

/** DS 21 表1's reason for a level, in the reader's language (the API's own sentence mixes both languages). */
export function useJustification() {
  const { t, tDynamic } = useI18n();
  return (affectedObject: string, harm: string, level: string) =>
    t('merchant.classify.justification', {
      harm: tDynamic(`merchant.harm.${harm}`),
      object: tDynamic(`merchant.object.${affectedObject}`),
      level: tDynamic(`merchant.level.${level}`),
    });
}

/** A label for a value the API may grow (a review decision): its words when the catalogue has them, else the value. */
export function useOptionalLabel() {
  const { tDynamic } = useI18n();
  return (prefix: string, value: string) =>
    `${prefix}.${value}` in catalogs.zh ? tDynamic(`${prefix}.${value}`) : value;
}
