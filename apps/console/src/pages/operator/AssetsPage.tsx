import { Alert, Button, Descriptions, Drawer, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';

type Asset = Schemas['AssetResponse'];
type Review = Schemas['ReviewResponse'];
type Decision = Schemas['ReviewDto']['decision'];

/** The registrations awaiting review; important (and core) data first needs its DS 26 security review. */
export default function AssetsPage() {
  const { t, tDynamic } = useI18n();
  const [reloadKey, setReloadKey] = useState(0);
  const [open, setOpen] = useState<Asset | null>(null);
  const load = useCallback(async () => {
    const { assets } = await unwrap(api.GET('/v1/assets', { params: { query: { status: 'submitted' } } }));
    return onePage(assets);
  }, []);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('operator.assets.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('operator.assets.intro')}</Typography.Paragraph>
      <PagedTable<Asset>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          { title: t('operator.assets.assetTitle'), dataIndex: 'title' },
          {
            title: t('operator.level'),
            dataIndex: 'level',
            render: (l: string) => <Tag>{tDynamic(`operator.level.${l}`)}</Tag>,
          },
          {
            title: t('operator.assets.dataKind'),
            dataIndex: 'dataKind',
            render: (k: string) => tDynamic(`operator.dataKind.${k}`),
          },
          { title: t('operator.assets.industry'), dataIndex: 'industry' },
          {
            title: t('operator.updatedAt'),
            dataIndex: 'updatedAt',
            render: (iso: string) => <DateTime iso={iso} />,
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, a: Asset) => (
              <Button size="small" type="primary" onClick={() => setOpen(a)}>
                {t('operator.review')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={open !== null}
        width={640}
        title={open ? t('operator.assets.reviewTitle', { title: open.title }) : ''}
        onClose={() => setOpen(null)}
        destroyOnHidden
      >
        {open && (
          <AssetReview
            asset={open}
            onDecided={() => {
              setOpen(null);
              setReloadKey((k) => k + 1);
            }}
          />
        )}
      </Drawer>
    </>
  );
}

function AssetReview({ asset, onDecided }: { asset: Asset; onDecided(): void }) {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [reviews, setReviews] = useState<Review[] | null>(null);
  const loadReviews = useCallback(async () => {
    const { reviews } = await unwrap(
      api.GET('/v1/assets/{id}/reviews', { params: { path: { id: asset.id } } }),
    );
    setReviews(reviews);
  }, [asset.id]);
  useEffect(() => void loadReviews().catch(() => setReviews([])), [loadReviews]);

  const needsSecurity = asset.level !== 'general';
  const security = reviews
    ?.filter((r) => r.subject === 'security' && r.createdAt >= asset.updatedAt)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const securityPassed = security?.decision === 'passed';

  const secure = useAction(async (f: { passed: 'passed' | 'failed'; findings: string }) => {
    await unwrap(
      api.POST('/v1/assets/{id}/security-review', {
        params: { path: { id: asset.id } },
        body: { passed: f.passed === 'passed', findings: f.findings.trim() },
      }),
    );
    await loadReviews();
  }, t('operator.assets.securityRecorded'));
  const decide = useAction(async (f: { decision: Decision; reason?: string }) => {
    await unwrap(
      api.POST('/v1/assets/{id}/review', {
        params: { path: { id: asset.id } },
        body: { decision: f.decision, ...(f.reason?.trim() ? { reason: f.reason.trim() } : {}) },
      }),
    );
    onDecided();
  });
  const canWrite = session.canWrite('operator');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions column={1} size="small" bordered styles={{ label: { width: 128, whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('operator.level')}>
          {tDynamic(`operator.level.${asset.level}`)}
          {asset.declaredLevel &&
            asset.declaredLevel !== asset.computedLevel &&
            ` (${t('operator.assets.declared')} ${tDynamic(`operator.level.${asset.declaredLevel}`)})`}
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.assets.description')}>{asset.description}</Descriptions.Item>
        <Descriptions.Item label={t('operator.assets.dataKind')}>
          {tDynamic(`operator.dataKind.${asset.dataKind}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.assets.source')}>{asset.source.description}</Descriptions.Item>
        <Descriptions.Item label={t('operator.assets.columns')}>
          {asset.columns.map((c) => (
            <Tag key={c.name}>
              {c.name}
              {c.personalInformation && ` · ${t('operator.assets.personal')}`}
              {c.tradeSecret && ` · ${t('operator.assets.tradeSecret')}`}
            </Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.assets.rowCount')}>
          {asset.rowCount.toLocaleString()}
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.assets.justification')}>
          {asset.levelJustification ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      {needsSecurity && (
        <section aria-labelledby="security-title">
          <Typography.Title level={2} id="security-title" style={{ fontSize: 18 }}>
            {t('operator.assets.securityTitle')}
          </Typography.Title>
          {security ? (
            <Alert
              type={securityPassed ? 'success' : 'error'}
              showIcon
              message={
                securityPassed ? t('operator.assets.securityPassed') : t('operator.assets.securityFailed')
              }
              description={security.reason}
            />
          ) : (
            <Alert type="warning" showIcon message={t('operator.assets.securityNeeded')} />
          )}
          {canWrite && !securityPassed && (
            <Form<{ passed: 'passed' | 'failed'; findings: string }>
              layout="vertical"
              requiredMark={false}
              style={{ marginTop: 16 }}
              initialValues={{ passed: 'passed' }}
              onFinish={(f) => void secure.run(f)}
            >
              <Form.Item name="passed" label={t('operator.assets.securityOutcome')}>
                <Radio.Group
                  options={[
                    { value: 'passed', label: t('operator.assets.securityPass') },
                    { value: 'failed', label: t('operator.assets.securityFail') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="findings"
                label={t('operator.assets.findings')}
                rules={[{ required: true, whitespace: true, message: t('operator.assets.findingsRequired') }]}
              >
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
              <Button htmlType="submit" loading={secure.running}>
                {t('operator.assets.recordSecurity')}
              </Button>
            </Form>
          )}
        </section>
      )}
      {canWrite && (
        <section aria-labelledby="decision-title">
          <Typography.Title level={2} id="decision-title" style={{ fontSize: 18 }}>
            {t('operator.decisionTitle')}
          </Typography.Title>
          <Form<{ decision: Decision; reason?: string }>
            layout="vertical"
            requiredMark={false}
            initialValues={{ decision: 'approve' }}
            onFinish={(f) => void decide.run(f)}
          >
            <Form.Item name="decision" label={t('operator.decision')}>
              <Radio.Group
                options={(['approve', 'request-changes', 'reject'] as const).map((d) => ({
                  value: d,
                  label: tDynamic(`operator.assets.decision.${d}`),
                  disabled: d === 'approve' && needsSecurity && !securityPassed,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('operator.reason')}
              rules={[{ required: true, whitespace: true, max: 2000, message: t('operator.reasonRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={decide.running}>
              {t('operator.submitDecision')}
            </Button>
          </Form>
        </section>
      )}
    </Space>
  );
}
