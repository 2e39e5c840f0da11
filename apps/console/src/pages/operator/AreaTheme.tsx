import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * The shell's theme with two fixes for WCAG AA contrast (4.5:1) that belong in App.tsx's THEME (for the lead to move
 * there; until then the operator and account pages wrap themselves in it): a table's empty text ("暂无数据") is
 * drawn in colorTextDisabled (default 2.3:1), and links in colorLink (default #1677ff, 4.1:1), which does not follow
 * the theme's darker colorPrimary.
 */
export function AreaTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider
      theme={{
        token: { colorLink: '#1554ad' },
        components: { Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.6)' } },
      }}
    >
      {children}
    </ConfigProvider>
  );
}
