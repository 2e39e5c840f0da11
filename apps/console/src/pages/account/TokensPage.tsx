import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Space, Tag, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';

type Token = Schemas['ApiTokenResponse'];
interface Fields {
  name: string;
  scopes: string[];
  expiresInDays?: number | null;
}

/** Scopes that act as an overseer skip the session's TOTP, so their tokens must expire within 30 days. */
const OVERSEER_SCOPE = /^(operator|regulator):/;

/** The caller's API tokens: list, create (shown once), revoke. */
export default function TokensPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [reloadKey, setReloadKey] = useState(0);
  const [created, setCreated] = useState<Schemas['CreatedApiTokenResponse'] | null>(null);
  const [form] = Form.useForm<Fields>();
  const scopes = Form.useWatch('scopes', form) ?? [];
  const needsExpiry = scopes.some((scope) => OVERSEER_SCOPE.test(scope));
  const owes = session.principal?.secondFactorDone === false;

  const options = useMemo(
    () =>
      (session.principal?.roles ?? []).flatMap((role) =>
        (['read', 'write'] as const).map((access) => ({
          value: `${role}:${access}`,
          label: `${tDynamic(`role.${role}`)} · ${t(`account.tokens.access.${access}`)}`,
        })),
      ),
    [session.principal, t, tDynamic],
  );

  const load = useCallback(async () => {
    const { tokens } = await unwrap(api.GET('/v1/tokens'));
    return onePage(tokens);
  }, []);

  const create = useAction(async (fields: Fields) => {
    const body = {
      name: fields.name.trim(),
      scopes: fields.scopes,
      ...(fields.expiresInDays ? { expiresInDays: fields.expiresInDays } : {}),
    };
    const token = await unwrap(api.POST('/v1/tokens', { body }));
    setCreated(token);
    form.resetFields();
    setReloadKey((k) => k + 1);
  }, t('account.tokens.created'));

  const revoke = useAction(async (id: string) => {
    await unwrap(api.DELETE('/v1/tokens/{id}', { params: { path: { id } } }));
    setReloadKey((k) => k + 1);
  }, t('account.tokens.revoked'));

  const copy = useAction(async (text: string) => navigator.clipboard.writeText(text), t('app.copied'));

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('account.tokens.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('account.tokens.intro')}</Typography.Paragraph>
      {owes && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('account.totp.owed')}
          action={<Link to="/account/totp">{t('account.totp.go')}</Link>}
        />
      )}
      <Card title={t('account.tokens.newTitle')} style={{ marginBottom: 24, maxWidth: 720 }}>
        <Form<Fields> form={form} layout="vertical" requiredMark={false} onFinish={(f) => void create.run(f)}>
          <Form.Item
            name="name"
            label={t('account.tokens.name')}
            rules={[
              { required: true, whitespace: true, max: 100, message: t('account.tokens.nameRequired') },
            ]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('account.tokens.scopes')}
            rules={[
              {
                validator: (_, value: unknown[] | undefined) =>
                  value?.length
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('account.tokens.scopesRequired'))),
              },
            ]}
          >
            <Checkbox.Group options={options} />
          </Form.Item>
          <Form.Item
            name="expiresInDays"
            label={t('account.tokens.expiresInDays')}
            extra={needsExpiry ? t('account.tokens.expiryRequiredHint') : t('account.tokens.expiryHint')}
            rules={[
              { required: needsExpiry, message: t('account.tokens.expiryRequired') },
              {
                type: 'number',
                min: 1,
                max: needsExpiry ? 30 : 366,
                message: t('account.tokens.expiryRange'),
              },
            ]}
          >
            <InputNumber min={1} max={needsExpiry ? 30 : 366} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.running}>
            {t('account.tokens.create')}
          </Button>
        </Form>
      </Card>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('account.tokens.listTitle')}
      </Typography.Title>
      <PagedTable<Token>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          { title: t('account.tokens.name'), dataIndex: 'name' },
          {
            title: t('account.tokens.prefix'),
            dataIndex: 'prefix',
            render: (p: string) => <code>{p}…</code>,
          },
          {
            title: t('account.tokens.scopes'),
            dataIndex: 'scopes',
            render: (s: string[]) => s.map((scope) => <Tag key={scope}>{scope}</Tag>),
          },
          {
            title: t('account.tokens.createdAt'),
            dataIndex: 'createdAt',
            render: (iso: string) => <DateTime iso={iso} />,
          },
          {
            title: t('account.tokens.expiresAt'),
            dataIndex: 'expiresAt',
            render: (iso: string | null) => (iso ? <DateTime iso={iso} /> : t('account.tokens.never')),
          },
          {
            title: t('account.tokens.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (iso: string | null) => (iso ? <DateTime iso={iso} /> : '—'),
          },
          {
            title: t('account.tokens.status'),
            key: 'status',
            render: (_: unknown, token: Token) =>
              token.revokedAt ? (
                <Tag>{t('account.tokens.state.revoked')}</Tag>
              ) : token.expiresAt && Date.parse(token.expiresAt) < Date.now() ? (
                <Tag>{t('account.tokens.state.expired')}</Tag>
              ) : (
                <Tag>{t('account.tokens.state.active')}</Tag>
              ),
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, token: Token) =>
              !token.revokedAt && (
                <Button
                  size="small"
                  loading={revoke.running}
                  onClick={() =>
                    Modal.confirm({
                      title: t('account.tokens.revokeConfirm', { name: token.name }),
                      okText: t('account.tokens.revoke'),

                      cancelText: t('app.cancel'),
                      onOk: () => revoke.run(token.id),
                    })
                  }
                >
                  {t('account.tokens.revoke')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={created !== null}
        title={t('account.tokens.shownOnceTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('account.tokens.savedIt')}
          </Button>
        }
      >
        {created && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon message={t('account.tokens.shownOnce')} />
            <label htmlFor="created-token">{t('account.tokens.value')}</label>
            <Space.Compact style={{ width: '100%' }}>
              <Input id="created-token" readOnly value={created.token} style={{ fontFamily: 'monospace' }} />
              <Button onClick={() => void copy.run(created.token)}>{t('app.copy')}</Button>
            </Space.Compact>
          </Space>
        )}
      </Modal>
    </>
  );
}
