import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * Colours with WCAG AA contrast (4.5:1) for what the shared theme leaves at Ant Design's defaults: links (#1677ff is
 * 4.1:1 on white), danger buttons, and tag colours (solid, white text). Candidates for the shell's THEME.
 */
export const TAG = { ok: '#237804', info: '#1554ad', warn: '#ad4e00', bad: '#a8071a' } as const;

export function AreaTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider theme={{ token: { colorLink: '#1554ad', colorError: '#c4161c' } }}>
      {children}
    </ConfigProvider>
  );
}
