import { Alert, Button, Descriptions, Form, Input, Popconfirm, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useLabel } from '../../components/useLabel';

type Asset = Schemas['AssetDetailResponse'];
type Destruction = Schemas['DestructionResponse'];

/** The asset statuses whose data the platform holds, so a destruction may be asked for (as the API decides). */
const DESTROYABLE = ['registered', 'suspended', 'cancelled'];
const OPEN = ['requested', 'approved'];

/**
 * DS 37 on the asset's page: the latest destruction request and its state, a request with a reason (general data is
 * destroyed at once, important and core data once a regulator approves), and withdrawal of a pending one.
 */
export function AssetDestruction({ asset, onChanged }: { asset: Asset; onChanged(): void }) {
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [latest, setLatest] = useState<Destruction | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const load = useCallback(() => {
    unwrap(api.GET('/v1/destructions', { params: { query: { assetId: asset.id, limit: 1 } } }))
      .then((page) => setLatest(page.items[0] ?? null))
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [asset.id, t]);
  useEffect(load, [load]);
  const ask = useAction(
    async ({ reason }: { reason: string }) => {
      const made = await unwrap(
        api.POST('/v1/destructions', { body: { assetId: asset.id, reason: reason.trim() } }),
      );
      setLatest(made);
      form.resetFields();
      onChanged();
      return made;
    },
    (made) =>
      made.state === 'executed' ? t('merchant.destruction.executed') : t('merchant.destruction.requested'),
  );
  const withdraw = useAction(async (id: string) => {
    setLatest(await unwrap(api.POST('/v1/destructions/{id}/withdrawal', { params: { path: { id } } })));
  });

  const mayAct = session.canWrite('merchant');
  const open = latest && OPEN.includes(latest.state);
  const needsApproval = asset.level === 'important' || asset.level === 'core';
  return (
    <section aria-labelledby="asset-destruction">
      <Typography.Title level={2} style={{ fontSize: 18 }} id="asset-destruction">
        {t('merchant.destruction.title')}
      </Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        {error && <Alert type="error" showIcon message={error} />}
        {latest && (
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="destruction-latest">
            <Descriptions.Item label={t('merchant.destruction.state')}>
              {label('destructionState', latest.state)}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.destruction.requestedAt')}>
              <DateTime iso={latest.createdAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.destruction.reason')} span={2}>
              {latest.reason}
            </Descriptions.Item>
            {latest.decisionReason && (
              <Descriptions.Item label={t('merchant.destruction.decisionReason')} span={2}>
                {latest.decisionReason}
              </Descriptions.Item>
            )}
            {latest.executedAt && (
              <Descriptions.Item label={t('merchant.destruction.executedAt')} span={2}>
                <DateTime iso={latest.executedAt} />
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
        {open && mayAct && latest.state === 'requested' && (
          <Button loading={withdraw.running} onClick={() => void withdraw.run(latest.id)}>
            {t('merchant.destruction.withdraw')}
          </Button>
        )}
        {!open && mayAct && DESTROYABLE.includes(asset.status) && (
          <Form form={form} layout="vertical" onFinish={(v) => void ask.run(v)} name="destruction">
            <Typography.Paragraph type="secondary">
              {needsApproval ? t('merchant.destruction.helpApproval') : t('merchant.destruction.helpAtOnce')}
            </Typography.Paragraph>
            <Form.Item
              name="reason"
              label={t('merchant.destruction.reason')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  max: 2000,
                  message: t('merchant.destruction.reasonRequired'),
                },
              ]}
            >
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
            <Popconfirm
              title={t('merchant.destruction.confirm')}
              okText={t('merchant.destruction.ask')}
              cancelText={t('app.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => form.submit()}
            >
              <Button danger loading={ask.running}>
                {t('merchant.destruction.ask')}
              </Button>
            </Popconfirm>
          </Form>
        )}
      </Space>
    </section>
  );
}
