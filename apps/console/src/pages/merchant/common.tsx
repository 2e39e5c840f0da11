import type { DataLevel } from '@app/compliance';
import { ColourTag, type Colour } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';

const LEVEL_COLOURS: Record<DataLevel, Colour> = { general: 'green', important: 'orange', core: 'red' };

/** A data level (DS 21) as a coloured tag, in words. */
export function LevelTag({ level }: { level: DataLevel | null | undefined }) {
  const { tDynamic } = useI18n();
  if (!level) return <>—</>;
  return <ColourTag colour={LEVEL_COLOURS[level]}>{tDynamic(`merchant.level.${level}`)}</ColourTag>;
}

const STATUS_COLOURS: Record<string, Colour> = {
  submitted: 'blue',
  'changes-requested': 'orange',
  approved: 'cyan',
  registered: 'green',
  published: 'green',
  rejected: 'red',
  suspended: 'orange',
};

/** A state of an asset or a listing (`merchant.state.<s>`), as a tag. */
export function StateTag({ state }: { state: string }) {
  const { tDynamic } = useI18n();
  return (
    <ColourTag colour={STATUS_COLOURS[state] ?? 'grey'}>{tDynamic(`merchant.state.${state}`)}</ColourTag>
  );
}

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
