import { Alert, Button, Card, Descriptions, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Yuan } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { SignerPicker } from './SignerPicker';
import { loadContract, sideOf, StateTag, type Contract } from './shared';
import { typedDataSigner, type BrowserSigner } from './signers';
import { typedDataToSign } from './typed-data-check';

/**
 * Signs a contract in the browser: its EIP-712 typed data, rebuilt here by the exchange's rule and compared with
 * the server's, signed by a keystore opened in memory or by the browser's wallet; only the signature is sent.
 */
export default function SignContractPage() {
  const { id = '' } = useParams();
  const { t, tDynamic, list } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [contract, setContract] = useState<Contract | null>(null);
  const [registered, setRegistered] = useState<Schemas['SigningAddressResponse'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signer, setSigner] = useState<BrowserSigner | null>(null);
  useEffect(() => {
    Promise.all([loadContract(id), unwrap(api.GET('/v1/signing-address'))])
      .then(([c, a]) => {
        setContract(c);
        setRegistered(a);
      })
      .catch((caught: unknown) => setError(describeError(caught, t)));
  }, [id, t]);
  const checked = useMemo(() => (contract ? typedDataToSign(contract) : null), [contract]);
  const side = contract ? sideOf(contract, session.principal?.organisationId) : null;
  const sign = useAction(async () => {
    if (!contract || !checked || !signer) throw new Error(t('contracts.sign.notReady'));
    const signature = await signer.signTypedData(checked.typedData);
    // Checked before it is sent: the signature must be this key's over exactly this typed data.
    const recovered = typedDataSigner(checked.typedData, signature);
    if (recovered !== signer.address)
      throw new Error(t('contracts.sign.recoveredOther', { recovered, address: signer.address }));
    return unwrap(
      api.POST('/v1/contracts/{id}/signatures', {
        params: { path: { id: contract.id } },
        body: { signature },
      }),
    );
  }, t('contracts.sign.done'));

  const mismatch = signer && registered?.address && signer.address !== registered.address;
  const message = checked?.typedData.message;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('contracts.sign.title')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={error} />}
      {!contract && !error && <Spin />}
      {contract && checked && message && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('contracts.sign.intro')}</Typography.Paragraph>
          {checked.problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              message={t('contracts.sign.typedDataDiffers')}
              description={checked.problems.join('; ')}
            />
          )}
          {contract.state !== 'awaiting_signatures' && (
            <Alert type="info" showIcon message={t('contracts.sign.notAwaiting')} />
          )}
          {side && contract.signatures[side] && (
            <Alert type="success" showIcon message={t('contracts.sign.alreadySigned')} />
          )}
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.sign.whatYouSign')}</h2>}>
            <Descriptions
              bordered
              size="small"
              column={1}
              styles={{ label: { whiteSpace: 'nowrap', width: 160 } }}
            >
              <Descriptions.Item label={t('contracts.field.state')}>
                <StateTag state={contract.state} />
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.id')}>
                {String(message.contractId)}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.purpose')}>
                {String(message.purpose)}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.columns')}>
                {list(message.columns as string[])}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.recipes')}>
                {list(message.recipes as string[])}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.billingUnit')}>
                {tDynamic(`contracts.billing.${String(message.billingUnit)}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.price')}>
                <Yuan fen={String(message.priceFen)} />
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.amount')}>
                <strong>
                  <Yuan fen={String(message.amountFen)} />
                </strong>
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.period')}>
                {t('contracts.detail.days', { n: Number(message.periodDays) })}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.clauses')}>
                {list(message.clauses as string[])}
              </Descriptions.Item>
              <Descriptions.Item label={t('contracts.field.termsHash')}>
                <Typography.Text code style={{ wordBreak: 'break-all' }}>
                  {String(message.termsHash)}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.sign.key')}</h2>}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Paragraph>
                {registered?.address ? (
                  <>
                    {t('contracts.sign.registeredAddress')}{' '}
                    <Typography.Text code>{registered.address}</Typography.Text>
                  </>
                ) : (
                  <>
                    {t('contracts.sign.noRegisteredAddress')}{' '}
                    <Link to="/signing-address">{t('contracts.nav.signingAddress')}</Link>
                  </>
                )}
              </Typography.Paragraph>
              <SignerPicker signer={signer} onSigner={setSigner} />
              {mismatch && (
                <Alert
                  type="warning"
                  showIcon
                  message={t('contracts.sign.otherAddress', { address: registered?.address ?? '' })}
                />
              )}
              <Button
                type="primary"
                size="large"
                disabled={!signer || checked.problems.length > 0 || contract.state !== 'awaiting_signatures'}
                loading={sign.running}
                onClick={() =>
                  void sign.run().then((signed) => signed && navigate(`/contracts/${contract.id}`))
                }
              >
                {t('contracts.sign.submit')}
              </Button>
            </Space>
          </Card>
        </Space>
      )}
    </>
  );
}
