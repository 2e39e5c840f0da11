import { Alert, Button, Descriptions, Form, Input, Radio, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { connectInjected, injectedProvider, openKeystore, type BrowserSigner } from './signers';

/**
 * Chooses the key to sign with: a keystore file opened here (file + password, kept in memory only, never uploaded),
 * or the browser's wallet (EIP-1193). Hands the opened signer up; forgetting it is a click.
 */
export function SignerPicker({
  signer,
  onSigner,
}: {
  signer: BrowserSigner | null;
  onSigner: (signer: BrowserSigner | null) => void;
}) {
  const { t } = useI18n();
  const [source, setSource] = useState<'keystore' | 'wallet'>('keystore');
  const [keystore, setKeystore] = useState<{ name: string; json: string } | null>(null);
  const [password, setPassword] = useState('');
  const fileId = useId();
  const passwordId = useId();
  const open = useAction(async () => {
    if (!keystore) throw new Error(t('contracts.signer.noFile'));
    try {
      const opened = await openKeystore(keystore.json, password);
      setPassword('');
      onSigner(opened);
      return opened;
    } catch (caught) {
      throw new Error(t('contracts.signer.openFailed', { message: (caught as Error).message }), {
        cause: caught,
      });
    }
  }, t('contracts.signer.opened'));
  const connect = useAction(async () => {
    if (!injectedProvider()) throw new Error(t('contracts.signer.noWallet'));
    const connected = await connectInjected();
    onSigner(connected);
    return connected;
  }, t('contracts.signer.connected'));

  if (signer)
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('contracts.signer.address')}>
            <Typography.Text code data-testid="signer-address">
              {signer.address}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.signer.source')}>
            {t(signer.kind === 'keystore' ? 'contracts.signer.keystore' : 'contracts.signer.wallet')}
          </Descriptions.Item>
        </Descriptions>
        <Button onClick={() => onSigner(null)}>{t('contracts.signer.forget')}</Button>
      </Space>
    );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Radio.Group
        aria-label={t('contracts.signer.source')}
        value={source}
        onChange={(e) => setSource(e.target.value as 'keystore' | 'wallet')}
        optionType="button"
        options={[
          { value: 'keystore', label: t('contracts.signer.keystore') },
          { value: 'wallet', label: t('contracts.signer.wallet') },
        ]}
      />
      {source === 'keystore' ? (
        <Form layout="vertical" onFinish={() => void open.run()} style={{ maxWidth: 520 }}>
          <Typography.Paragraph type="secondary">{t('contracts.signer.keystoreHelp')}</Typography.Paragraph>
          <Form.Item label={t('contracts.signer.file')} htmlFor={fileId} required>
            <input
              id={fileId}
              type="file"
              accept=".json,application/json"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return setKeystore(null);
                void file.text().then((json) => setKeystore({ name: file.name, json }));
              }}
            />
          </Form.Item>
          <Form.Item label={t('contracts.signer.password')} htmlFor={passwordId} required>
            <Input.Password
              id={passwordId}
              value={password}
              autoComplete="off"
              onChange={(e) => setPassword(e.target.value)}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={open.running} disabled={!keystore}>
            {t('contracts.signer.open')}
          </Button>
        </Form>
      ) : (
        <Space direction="vertical">
          <Typography.Paragraph type="secondary">{t('contracts.signer.walletHelp')}</Typography.Paragraph>
          {!injectedProvider() && <Alert type="info" showIcon message={t('contracts.signer.noWallet')} />}
          <Button type="primary" onClick={() => void connect.run()} loading={connect.running}>
            {t('contracts.signer.connect')}
          </Button>
        </Space>
      )}
    </Space>
  );
}
