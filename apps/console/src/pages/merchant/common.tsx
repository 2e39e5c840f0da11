import { ConfigProvider, Tag } from 'antd';
import type { ReactNode } from 'react';
import type { DataLevel } from '@app/compliance';
import { catalogs } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';

/** Tag colours dark enough for WCAG AA (4.5:1) on their own background: Ant Design's presets are not. */
const PALETTE = {
  green: { color: '#135200', background: '#f6ffed', borderColor: '#95de64' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffc069' },
  red: { color: '#820014', background: '#fff1f0', borderColor: '#ff9c9e' },
  blue: { color: '#002c8c', background: '#e6f4ff', borderColor: '#91caff' },
  cyan: { color: '#00474f', background: '#e6fffb', borderColor: '#87e8de' },
  grey: { color: 'rgba(0, 0, 0, 0.88)', background: '#fafafa', borderColor: '#d9d9d9' },
} as const;
type Colour = keyof typeof PALETTE;

/** A tag in one of the readable colours. */
export function ColourTag({ colour, children }: { colour: Colour; children: ReactNode }) {
  return <Tag style={{ ...PALETTE[colour], borderStyle: 'solid', borderWidth: 1 }}>{children}</Tag>;
}

/**
 * The merchant pages' theme on top of the console's: error red, links and the empty-table text dark enough for WCAG AA
 * (the shared theme in App.tsx keeps Ant Design's #ff4d4f and rgba(0,0,0,.25), which axe flags).
 */
export function MerchantTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider
      theme={{
        token: { colorError: '#c41d1d', colorTextDisabled: 'rgba(0, 0, 0, 0.55)', colorLink: '#1554ad' },
      }}
    >
      {children}
    </ConfigProvider>
  );
}

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
