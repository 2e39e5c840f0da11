import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link } from 'react-router';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { describeError } from '../components/errors';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';

interface Fields {
  username: string;
  password: string;
  totp?: string;
}

/** Password sign-in; operators and regulators add their TOTP code (enrolment follows on the account page). */
export function SignIn() {
  const { t } = useI18n();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const submit = async (fields: Fields) => {
    setRunning(true);
    setError(null);
    try {
      const body = {
        username: fields.username,
        password: fields.password,
        ...(fields.totp ? { totp: fields.totp } : {}),
      };
      session.signedIn(await unwrap(api.POST('/v1/auth/login', { body })));
    } catch (caught) {
      setError(describeError(caught, t));
    } finally {
      setRunning(false);
    }
  };
  return (
    <div style={{ maxWidth: 420, margin: '6vh auto', padding: 16 }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('signIn.title')}
        </Typography.Title>
        <Form<Fields> layout="vertical" onFinish={(fields) => void submit(fields)} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('signIn.username')}
            rules={[{ required: true, message: t('signIn.usernameRequired') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('signIn.password')}
            rules={[{ required: true, message: t('signIn.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="totp"
            label={t('signIn.totp')}
            extra={t('signIn.totpHint')}
            rules={[{ pattern: /^\d{6}$/, message: t('signIn.totpFormat') }]}
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" loading={running} block>
            {t('signIn.submit')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          {t('signIn.noAccount')} <Link to="/sign-up">{t('signIn.signUp')}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
