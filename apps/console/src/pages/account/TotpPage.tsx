import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';

interface Enrolment {
  secret: string;
  otpauthUri: string;
}

/** TOTP enrolment for operator and regulator accounts: the seed once as a QR code and as text, then a code to confirm. */
export default function TotpPage() {
  const { t } = useI18n();
  const session = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const owes = session.principal?.secondFactorDone === false;

  const start = useAction(
    async () => setEnrolment(await unwrap(api.POST('/v1/auth/totp'))),
    t('account.totp.started'),
  );
  const confirm = useAction(async (code: string) => {
    await unwrap(api.POST('/v1/auth/totp/confirm', { body: { code } }));
    setEnrolment(null);
    await session.refresh();
  }, t('account.totp.confirmed'));

  useEffect(() => {
    if (!enrolment) return setQr(null);
    let live = true;
    // Drawn in the browser: the seed never goes to a QR service.
    void QRCode.toDataURL(enrolment.otpauthUri, { margin: 1, width: 220 }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [enrolment]);

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('account.totp.title')}
      </Typography.Title>
      {owes ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          message={t('account.totp.owed')}
          style={{ marginBottom: 16 }}
        />
      ) : (
        <Alert type="success" showIcon message={t('account.totp.enabled')} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph>{t('account.totp.intro')}</Typography.Paragraph>
      {owes && !enrolment && (
        <Button type="primary" loading={start.running} onClick={() => void start.run()}>
          {t('account.totp.start')}
        </Button>
      )}
      {enrolment && (
        <Card title={t('account.totp.scanTitle')} style={{ maxWidth: 560 }}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {qr && <img src={qr} width={220} height={220} alt={t('account.totp.qrAlt')} />}
            <div>
              <Typography.Text>{t('account.totp.secretLabel')}</Typography.Text>{' '}
              <Typography.Text code copyable data-testid="totp-secret">
                {enrolment.secret}
              </Typography.Text>
            </div>
            <Alert type="info" showIcon message={t('account.totp.onceOnly')} />
            <Form<{ code: string }>
              layout="vertical"
              requiredMark={false}
              onFinish={(fields) => void confirm.run(fields.code)}
            >
              <Form.Item
                name="code"
                label={t('account.totp.code')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('account.totp.codeFormat') }]}
              >
                <Input
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  style={{ maxWidth: 200 }}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={confirm.running}>
                {t('account.totp.confirm')}
              </Button>
            </Form>
          </Space>
        </Card>
      )}
    </>
  );
}
