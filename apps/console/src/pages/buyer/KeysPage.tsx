import { Alert, Button, Card, Descriptions, Form, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import {
  createBrowserKey,
  deleteStoredKey,
  importKeyFile,
  listStoredKeys,
  type StoredResultKey,
} from './resultCrypto';

/**
 * The buyer's result key: made in this browser (the private half a non-extractable CryptoKey in IndexedDB) or opened
 * from the CLI's key file; only the public half is registered. The private key is never sent.
 */
export default function KeysPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [registered, setRegistered] = useState<Schemas['OwnResultKeyResponse'] | null>(null);
  const [stored, setStored] = useState<StoredResultKey[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setRegistered(await unwrap(api.GET('/v1/result-keys/mine')));
      setStored(await listStoredKeys());
    } catch (caught) {
      setError(describeError(caught, t));
    }
  }, [t]);
  useEffect(() => void reload(), [reload]);

  const register = useCallback(
    async (key: StoredResultKey) => {
      const reply = await unwrap(api.POST('/v1/result-keys', { body: { publicKey: key.publicKey } }));
      await reload();
      return reply;
    },
    [reload],
  );
  const create = useAction(
    useCallback(async () => register(await createBrowserKey()), [register]),
    t('buyer.keys.created'),
  );
  const registerAgain = useAction(register, t('buyer.keys.registeredDone'));
  const importAction = useAction(
    useCallback(async () => {
      if (!file) throw new Error(t('buyer.keys.chooseFile'));
      let key: StoredResultKey;
      try {
        key = await importKeyFile(new Uint8Array(await file.arrayBuffer()), passphrase);
      } catch (caught) {
        const code = caught instanceof Error ? caught.message : '';
        throw new Error(
          ['wrong_passphrase', 'not_key_file', 'key_mismatch'].includes(code)
            ? tDynamic(`buyer.keys.error.${code}`)
            : describeError(caught, t),
          { cause: caught },
        );
      } finally {
        setPassphrase('');
      }
      return register(key);
    }, [file, passphrase, register, t, tDynamic]),
    t('buyer.keys.imported'),
  );
  const remove = useAction(
    useCallback(
      async (keyId: string) => {
        await deleteStoredKey(keyId);
        await reload();
      },
      [reload],
    ),
  );
  const writable = session.canWrite('buyer');

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('buyer.keys.title')}
      </Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" showIcon message={t('buyer.keys.explain')} />
        {error && <Alert type="error" showIcon message={error} />}
        <Card
          title={
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              {t('buyer.keys.registered')}
            </Typography.Title>
          }
        >
          {registered?.keyId ? (
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('buyer.keys.keyId')}>
                <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="registered-key-id">
                  {registered.keyId}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.keys.publicKey')}>
                <Typography.Text code>{registered.publicKey}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.keys.registeredAt')}>
                <DateTime iso={registered.registeredAt} />
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.keys.inThisBrowser')}>
                {stored.some((k) => k.keyId === registered.keyId) ? t('buyer.keys.yes') : t('buyer.keys.no')}
              </Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Paragraph>{t('buyer.keys.none')}</Typography.Paragraph>
          )}
        </Card>
        {writable && (
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
                {t('buyer.keys.create')}
              </Typography.Title>
            }
          >
            <Typography.Paragraph>{t('buyer.keys.createExplain')}</Typography.Paragraph>
            <Button type="primary" loading={create.running} onClick={() => void create.run()}>
              {t('buyer.keys.createButton')}
            </Button>
          </Card>
        )}
        {writable && (
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
                {t('buyer.keys.import')}
              </Typography.Title>
            }
          >
            <Typography.Paragraph>{t('buyer.keys.importExplain')}</Typography.Paragraph>
            <Form layout="vertical" style={{ maxWidth: 480 }} onFinish={() => void importAction.run()}>
              <Form.Item label={t('buyer.keys.file')} htmlFor="key-file">
                <input id="key-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
              </Form.Item>
              <Form.Item label={t('buyer.keys.passphrase')} htmlFor="key-passphrase">
                <Input.Password
                  id="key-passphrase"
                  autoComplete="off"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                />
              </Form.Item>
              <Button htmlType="submit" loading={importAction.running} disabled={!file}>
                {t('buyer.keys.importButton')}
              </Button>
            </Form>
          </Card>
        )}
        <Card
          title={
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              {t('buyer.keys.stored')}
            </Typography.Title>
          }
        >
          <Table<StoredResultKey>
            rowKey="keyId"
            size="small"
            pagination={false}
            dataSource={stored}
            locale={{ emptyText: t('app.empty') }}
            columns={[
              {
                title: t('buyer.keys.keyId'),
                key: 'keyId',
                render: (_, k) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text code style={{ wordBreak: 'break-all' }}>
                      {k.keyId}
                    </Typography.Text>
                    {k.keyId === registered?.keyId && (
                      <ColourTag colour="green">{t('buyer.keys.current')}</ColourTag>
                    )}
                  </Space>
                ),
              },
              {
                title: t('buyer.keys.source'),
                key: 'source',
                render: (_, k) => tDynamic(`buyer.keys.source.${k.source}`),
              },
              {
                title: t('buyer.keys.createdAt'),
                key: 'createdAt',
                render: (_, k) => <DateTime iso={k.createdAt} />,
              },
              {
                title: t('buyer.keys.actions'),
                key: 'actions',
                render: (_, k) => (
                  <Space>
                    {writable && k.keyId !== registered?.keyId && (
                      <Button size="small" onClick={() => void registerAgain.run(k)}>
                        {t('buyer.keys.register')}
                      </Button>
                    )}
                    <Button size="small" danger onClick={() => void remove.run(k.keyId)}>
                      {t('buyer.keys.forget')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
