import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * The shell's theme with two changes for these pages, both for WCAG AA contrast (4.5:1) on white: Ant Design draws
 * a table's "no data" text in `colorTextDisabled` (25 % black), and links in `colorLink` (#1677ff, 4.0:1), which does
 * not follow the shell's darker `colorPrimary`. Belongs in the shared THEME of App.tsx (every area's empty tables and
 * links in tables have the same problem); kept here until the lead moves it.
 */
const THEME = { token: { colorTextDisabled: 'rgba(0, 0, 0, 0.62)', colorLink: '#1554ad' } };

export function RegulatorTheme({ children }: { children: ReactNode }) {
  return <ConfigProvider theme={THEME}>{children}</ConfigProvider>;
}
