import { Tag } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';

/**
 * Tag colours dark enough for WCAG AA (4.5:1) on their own tint: Ant Design's preset colours (and white text on
 * them) are not. Every area's coloured tags use these.
 */
const PALETTE = {
  green: { color: '#135200', background: '#f6ffed', borderColor: '#95de64' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffc069' },
  red: { color: '#820014', background: '#fff1f0', borderColor: '#ff9c9e' },
  blue: { color: '#002c8c', background: '#e6f4ff', borderColor: '#91caff' },
  cyan: { color: '#00474f', background: '#e6fffb', borderColor: '#87e8de' },
  grey: { color: 'rgba(0, 0, 0, 0.88)', background: '#fafafa', borderColor: '#d9d9d9' },
} as const;
export type Colour = keyof typeof PALETTE;

/** A tag in one of the readable colours (grey when none is given); other attributes (a test id) pass through. */
export function ColourTag({
  colour = 'grey',
  children,
  ...rest
}: { colour?: Colour; children: ReactNode } & Omit<HTMLAttributes<HTMLSpanElement>, 'color'>) {
  return (
    <Tag {...rest} style={{ ...PALETTE[colour], borderStyle: 'solid', borderWidth: 1 }}>
      {children}
    </Tag>
  );
}
