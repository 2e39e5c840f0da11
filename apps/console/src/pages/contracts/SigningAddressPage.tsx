import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { SignerPicker } from './SignerPicker';
import { personalSigner, type BrowserSigner } from './signers';

/**
 * The organisation's signing address: shown, and registered (or replaced) by signing the exchange's challenge
 * with the key, in the browser (EIP-191 personal_sign).
 */
export default function SigningAddressPage() {
  const { t } = useI18n();
  const session = useSession();
  const [current, setCurrent] = useState<Schemas['SigningAddressResponse'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signer, setSigner] = useState<BrowserSigner | null>(null);
  const refresh = useCallback(() => {
    unwrap(api.GET('/v1/signing-address'))
      .then(setCurrent)
      .catch((caught: unknown) => setError(describeError(caught, t)));
  }, [t]);
  useEffect(refresh, [refresh]);
  const mayWrite = session.canWrite('merchant') || session.canWrite('buyer');
  const register = useAction(async () => {
    if (!signer) throw new Error(t('contracts.sign.notReady'));
    const challenge = await unwrap(api.GET('/v1/signing-address/challenge'));
    const signature = await signer.signMessage(challenge.message);
    const recovered = personalSigner(challenge.message, signature);
    if (recovered !== signer.address)
      throw new Error(t('contracts.sign.recoveredOther', { recovered, address: signer.address }));
    return unwrap(api.POST('/v1/signing-address', { body: { address: signer.address, signature } }));
  }, t('contracts.address.registered'));
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('contracts.address.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('contracts.address.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.address.current')}</h2>}>
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label={t('contracts.address.address')}>
              {current?.address ? (
                <Typography.Text code data-testid="registered-address">
                  {current.address}
                </Typography.Text>
              ) : (
                t('contracts.address.none')
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.address.registeredAt')}>
              <DateTime iso={current?.registeredAt} />
            </Descriptions.Item>
          </Descriptions>
        </Card>
        {mayWrite && (
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.address.register')}</h2>}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Paragraph type="secondary">
                {t('contracts.address.registerHelp')}
              </Typography.Paragraph>
              <SignerPicker signer={signer} onSigner={setSigner} />
              {signer && signer.address === current?.address && (
                <Alert type="success" showIcon message={t('contracts.address.alreadyThis')} />
              )}
              <Button
                type="primary"
                disabled={!signer}
                loading={register.running}
                onClick={() => void register.run().then((r) => r && refresh())}
              >
                {t('contracts.address.submit')}
              </Button>
            </Space>
          </Card>
        )}
      </Space>
    </>
  );
}
