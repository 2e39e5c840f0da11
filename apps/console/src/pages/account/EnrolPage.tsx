import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';

interface Fields {
  password: string;
  repeat: string;
}

/** Public: the holder of an overseer's one-time enrolment link (/enrol?token=dxe_…) chooses their password. */
export default function EnrolPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [username, setUsername] = useState<string | null>(null);
  const redeem = useAction(async (fields: Fields) => {
    const done = await unwrap(api.POST('/v1/auth/enrolment', { body: { token, password: fields.password } }));
    setUsername(done.username);
  }, t('account.enrol.done'));

  return (
    <div style={{ maxWidth: 480, margin: '8vh auto', padding: 16 }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('account.enrol.title')}
        </Typography.Title>
        {username ? (
          <Result
            status="success"
            title={t('account.enrol.doneTitle', { username })}
            subTitle={t('account.enrol.next')}
            extra={<Link to="/">{t('account.enrol.signIn')}</Link>}
          />
        ) : !/^dxe_[A-Za-z0-9_-]{43}$/.test(token) ? (
          <Alert type="error" showIcon role="alert" message={t('account.enrol.badLink')} />
        ) : (
          <>
            <Typography.Paragraph>{t('account.enrol.intro')}</Typography.Paragraph>
            <Form<Fields> layout="vertical" requiredMark={false} onFinish={(f) => void redeem.run(f)}>
              <Form.Item
                name="password"
                label={t('account.enrol.password')}
                rules={[{ required: true, min: 12, max: 200, message: t('account.passwordRule') }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="repeat"
                label={t('account.enrol.repeat')}
                dependencies={['password']}
                rules={[
                  { required: true, message: t('account.enrol.repeatRequired') },
                  ({ getFieldValue }) => ({
                    validator: (_, value) =>
                      value === getFieldValue('password')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('account.enrol.mismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              {redeem.error && (
                <Alert
                  type="error"
                  showIcon
                  role="alert"
                  message={redeem.error}
                  style={{ marginBottom: 16 }}
                />
              )}
              <Button type="primary" htmlType="submit" loading={redeem.running} block>
                {t('account.enrol.submit')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
