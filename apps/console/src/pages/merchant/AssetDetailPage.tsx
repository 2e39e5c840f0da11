import { Alert, Button, Descriptions, Space, Spin, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, download, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { onePage } from '../../components/onePage';
import { useOptionalLabel } from '../../components/useOptionalLabel';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { AssetDestruction } from './AssetDestruction';
import { LevelTag, StateTag, useJustification } from './common';

type Asset = Schemas['AssetDetailResponse'];
type Review = Schemas['ReviewResponse'];

/** One asset: what was registered, its state, the review history and, once registered, its certificate. */
export default function AssetDetailPage() {
  const { id = '' } = useParams();
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const justify = useJustification();
  const label = useOptionalLabel();
  const [asset, setAsset] = useState<Asset | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    unwrap(api.GET('/v1/assets/{id}', { params: { path: { id } } }))
      .then(setAsset)
      .catch((caught: unknown) => setError(describeError(caught, t)));
  }, [id, t, version]);

  const loadReviews = useCallback(
    async () =>
      onePage((await unwrap(api.GET('/v1/assets/{id}/reviews', { params: { path: { id } } }))).reviews),
    [id],
  );

  const submit = useAction(async () => {
    await unwrap(api.POST('/v1/assets/{id}/submit', { params: { path: { id } } }));
    setVersion((v) => v + 1);
  }, t('merchant.asset.submitted'));

  const certificate = useAction(
    () => download(`/v1/assets/${id}/certificate`, `certificate-${asset?.registrationNumber ?? id}.json`),
    t('merchant.asset.certificateSaved'),
  );

  const title = (
    <Typography.Title level={1} style={{ fontSize: 24 }}>
      {asset ? t('merchant.asset.detailTitle', { title: asset.title }) : t('merchant.asset.detail')}
    </Typography.Title>
  );
  if (error)
    return (
      <>
        {title}
        <Alert type="error" showIcon message={error} />
      </>
    );
  if (!asset)
    return (
      <>
        {title}
        <Spin tip={t('app.loading')} />
      </>
    );

  const canSubmit = ['draft', 'changes-requested'].includes(asset.status) && session.canWrite('merchant');
  return (
    <>
      {title}
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Space wrap>
          <Link to="/merchant/assets">{t('merchant.asset.backToList')}</Link>
          {canSubmit && (
            <Button type="primary" loading={submit.running} onClick={() => void submit.run()}>
              {t('merchant.asset.submit')}
            </Button>
          )}
          {asset.status === 'registered' && (
            <Button loading={certificate.running} onClick={() => void certificate.run()}>
              {t('merchant.asset.certificate')}
            </Button>
          )}
        </Space>
        {asset.statusReason && <Alert type="info" showIcon message={asset.statusReason} />}
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('merchant.asset.status')}>
            <span data-testid="asset-status" data-status={asset.status}>
              <StateTag state={asset.status} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.registrationNumber')}>
            {asset.registrationNumber ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.level')}>
            <span data-testid="asset-level" data-level={asset.level}>
              <LevelTag level={asset.level} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.registeredAt')}>
            <DateTime iso={asset.registeredAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.classify.justificationLabel')} span={2}>
            {justify(asset.classification.affectedObject, asset.classification.harm, asset.computedLevel)}
            {asset.declaredLevel &&
              ` ${t('merchant.asset.declaredAs', { level: tDynamic(`merchant.level.${asset.declaredLevel}`) })}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.dataKind')}>
            {tDynamic(`merchant.kind.${asset.dataKind}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.openAttribute')}>
            {tDynamic(`merchant.open.${asset.openAttribute}`)}
          </Descriptions.Item>
          {asset.shareAttribute && (
            <Descriptions.Item label={t('merchant.asset.shareAttribute')}>
              {tDynamic(`merchant.share.${asset.shareAttribute}`)}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('merchant.asset.industry')}>{asset.industry}</Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.rowCount')}>{asset.rowCount}</Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.updateFrequency')}>
            {tDynamic(`merchant.frequency.${asset.updateFrequency}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.timeRange')}>
            {asset.timeRange.start} – {asset.timeRange.end}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.sourceMethod')}>
            {asset.source.method}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.description')} span={2}>
            {asset.description}
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.sourceDescription')} span={2}>
            {asset.source.description}
          </Descriptions.Item>
        </Descriptions>

        <section aria-labelledby="asset-columns">
          <Typography.Title level={2} style={{ fontSize: 18 }} id="asset-columns">
            {t('merchant.form.columns')}
          </Typography.Title>
          <Table
            rowKey="name"
            size="small"
            pagination={false}
            dataSource={asset.columns}
            columns={[
              { title: t('merchant.column.name'), dataIndex: 'name' },
              {
                title: t('merchant.column.type'),
                dataIndex: 'type',
                render: (c: string) => tDynamic(`merchant.columnType.${c}`),
              },
              { title: t('merchant.column.unit'), dataIndex: 'unit', render: (u: string | null) => u ?? '—' },
              {
                title: t('merchant.column.personalInformation'),
                dataIndex: 'personalInformation',
                render: (b: boolean) => (b ? t('app.yes') : t('app.no')),
              },
              {
                title: t('merchant.column.tradeSecret'),
                dataIndex: 'tradeSecret',
                render: (b: boolean) => (b ? t('app.yes') : t('app.no')),
              },
            ]}
          />
        </section>

        <section aria-labelledby="asset-rights">
          <Typography.Title level={2} style={{ fontSize: 18 }} id="asset-rights">
            {t('merchant.asset.rights')}
          </Typography.Title>
          <Table
            rowKey={(r) => `${r.right}:${r.organisationId}`}
            size="small"
            pagination={false}
            dataSource={asset.rights}
            columns={[
              {
                title: t('merchant.asset.right'),
                dataIndex: 'right',
                render: (r: string) => tDynamic(`merchant.right.${r}`),
              },
              { title: t('merchant.asset.holder'), dataIndex: 'name' },
              {
                title: t('merchant.asset.share'),
                dataIndex: 'shareBasisPoints',
                render: (bp: number) => `${(bp / 100).toFixed(2)}%`,
              },
            ]}
          />
        </section>

        <section aria-labelledby="asset-reviews">
          <Typography.Title level={2} style={{ fontSize: 18 }} id="asset-reviews">
            {t('merchant.asset.reviews')}
          </Typography.Title>
          <PagedTable<Review>
            rowKey="id"
            size="small"
            load={loadReviews}
            reloadKey={version}
            columns={[
              {
                title: t('merchant.review.at'),
                dataIndex: 'createdAt',
                render: (iso: string) => <DateTime iso={iso} />,
              },
              {
                title: t('merchant.review.subject'),
                dataIndex: 'subject',
                render: (s: string) => label('merchant.reviewSubject', s),
              },
              {
                title: t('merchant.review.decision'),
                dataIndex: 'decision',
                render: (d: string) => label('merchant.reviewDecision', d),
              },
              { title: t('merchant.review.reason'), dataIndex: 'reason' },
            ]}
          />
        </section>

        <AssetDestruction asset={asset} onChanged={() => setVersion((v) => v + 1)} />
      </Space>
    </>
  );
}
