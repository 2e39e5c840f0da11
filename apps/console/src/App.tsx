import { Suspense } from 'react';
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Layout,
  Menu,
  Result,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { I18nProvider, useI18n } from './i18n/i18n';
import type { AreaRoute } from './pages/area';
import { accountRoutes } from './pages/account/routes';
import { buyerRoutes } from './pages/buyer/routes';
import { contractsRoutes } from './pages/contracts/routes';
import { merchantRoutes } from './pages/merchant/routes';
import { operatorRoutes } from './pages/operator/routes';
import { regulatorRoutes } from './pages/regulator/routes';
import { securityRoutes } from './pages/security/routes';
import { SignIn } from './pages/SignIn';
import { SessionProvider, useSession } from './session/session';

const AREAS = [
  { key: 'nav.merchant', routes: merchantRoutes },
  { key: 'nav.buyer', routes: buyerRoutes },
  { key: 'nav.contracts', routes: contractsRoutes },
  { key: 'nav.security', routes: securityRoutes },
  { key: 'nav.operator', routes: operatorRoutes },
  { key: 'nav.regulator', routes: regulatorRoutes },
  { key: 'nav.account', routes: accountRoutes },
] as const;

/** The public pages anyone may open without signing in (a complaint, an enrolment link). */
const isPublic = (route: AreaRoute) => route.public === true || route.roles.length === 0;

function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <Button
      lang={language === 'zh' ? 'en' : 'zh-CN'}
      title={t('app.languageLabel')}
      onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
    >
      {t('app.language')}
    </Button>
  );
}

function Shell() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (session.restoring) return <Spin fullscreen tip={t('app.loading')} />;
  const principal = session.principal;
  const visible = (route: AreaRoute) => isPublic(route) || route.roles.some((role) => session.has(role));
  const all = AREAS.flatMap((area) => area.routes);
  if (!principal) {
    const publicRoutes = all.filter(isPublic);
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#001529' }}>
          <Link to="/" style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>
            {t('app.title')}
          </Link>
          <nav aria-label={t('app.menu')} style={{ display: 'flex', gap: 16 }}>
            {publicRoutes
              .filter((route) => !route.hidden)
              .map((route) => (
                <Link key={route.path} to={route.path} style={{ color: '#fff' }}>
                  {t(route.label)}
                </Link>
              ))}
          </nav>
          <Space style={{ marginLeft: 'auto' }}>
            <LanguageSwitch />
            <Button type="primary" onClick={() => void navigate('/sign-in')}>
              {t('signIn.submit')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 24 }}>
          <Suspense fallback={<Spin tip={t('app.loading')} />}>
            <Routes>
              {publicRoutes.map((route) => (
                <Route key={route.path} path={route.path} element={route.element} />
              ))}
              <Route path="*" element={<SignIn />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    );
  }
  if (!principal.secondFactorDone) {
    // The API lets such a session do nothing but enrol TOTP: lead it there.
    const enrolment = all.filter((route) => route.beforeSecondFactor);
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#001529' }}>
          <span style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>{t('app.title')}</span>
          <Space style={{ marginLeft: 'auto' }}>
            <LanguageSwitch />
            <Button onClick={() => void session.signOut()}>{t('app.signOut')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 24 }}>
          <Suspense fallback={<Spin tip={t('app.loading')} />}>
            <Routes>
              {enrolment.map((route) => (
                <Route key={route.path} path={route.path} element={route.element} />
              ))}
              <Route
                path="*"
                element={
                  enrolment[0] ? (
                    <Navigate to={enrolment[0].path} replace />
                  ) : (
                    <Result status="403" title={t('app.forbidden')} />
                  )
                }
              />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    );
  }
  const menu = AREAS.map((area) => ({
    key: area.key,
    type: 'group' as const,
    label: t(area.key),
    children: area.routes
      .filter((route) => !route.hidden && route.roles.some((role) => session.has(role)))
      .map((route) => ({ key: route.path, label: <Link to={route.path}>{t(route.label)}</Link> })),
  })).filter((group) => group.children.length > 0);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#001529' }}>
        <Link to="/" style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>
          {t('app.title')}
        </Link>
        <Space style={{ marginLeft: 'auto' }}>
          {principal.roles.map((role) => (
            <Tag key={role} color="blue">
              {t(`role.${role}`)}
            </Tag>
          ))}
          <LanguageSwitch />
          <Button onClick={() => void session.signOut()}>{t('app.signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={232} theme="light" breakpoint="lg" collapsedWidth={0}>
          <nav aria-label={t('app.menu')}>
            <Menu mode="inline" selectedKeys={[location.pathname]} items={menu} />
          </nav>
        </Layout.Sider>
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 24 }}>
          <Suspense fallback={<Spin tip={t('app.loading')} />}>
            <Routes>
              <Route path="/" element={<Home />} />
              {all.map((route) => (
                <Route
                  key={route.path}
                  path={route.path}
                  element={
                    visible(route) ? route.element : <Result status="403" title={t('app.forbidden')} />
                  }
                />
              ))}
              <Route path="/sign-in" element={<Navigate to="/" replace />} />
              <Route path="*" element={<Result status="404" title={t('app.notFound')} />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Home() {
  const { t, list } = useI18n();
  const { principal } = useSession();
  const roles = principal?.roles.length ? list(principal.roles.map((role) => t(`role.${role}`))) : '';
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('home.welcome', { roles })}
      </Typography.Title>
      <Typography.Paragraph>
        {principal?.roles.length ? t('home.intro') : t('home.noRoles')}
      </Typography.Paragraph>
    </>
  );
}

/**
 * Ant Design's defaults, with secondary, disabled and error text and links dark enough for WCAG AA contrast (4.5:1)
 * on white: the one theme of every area (no page wraps itself in another). Coloured tags: components/ColourTag.
 */
const THEME = {
  token: {
    colorPrimary: '#1554ad',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.55)',
    colorError: '#c41d1d',
    colorLink: '#1554ad',
  },
  // A table's empty text ("暂无数据") is drawn in colorTextDisabled: one step darker there than elsewhere.
  components: { Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.62)' } },
};

function Themed() {
  const { language } = useI18n();
  return (
    <ConfigProvider
      locale={language === 'zh' ? zhCN : enUS}
      theme={THEME}
      // Ant Design spaces out two-character Chinese button labels ("登 录"); screen readers then read two words.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Shell />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function ConsoleApp() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
