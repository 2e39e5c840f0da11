import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * The shell's theme, with a table's empty text ("暂无数据") dark enough for WCAG AA (4.5:1): Ant Design draws it in
 * colorTextDisabled, which the shared THEME leaves at its default (a contrast of 2.3:1). For the lead to move into
 * App.tsx's THEME; until then the operator and account pages wrap themselves in it.
 */
export function AreaTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider theme={{ components: { Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.6)' } } }}>
      {children}
    </ConfigProvider>
  );
}
