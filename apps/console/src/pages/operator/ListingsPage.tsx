import { Button, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ReasonDialog } from './ReasonDialog';

type Listing = Schemas['ListingResponse'];
type Decision = Schemas['ListingReviewDto']['decision'];

/** The listing columns every operator table shares. */
export function useListingColumns() {
  const { t, tDynamic } = useI18n();
  return [
    { title: t('operator.listings.listingTitle'), dataIndex: 'title' },
    {
      title: t('operator.level'),
      dataIndex: 'level',
      render: (l: string) => <Tag>{tDynamic(`operator.level.${l}`)}</Tag>,
    },
    {
      title: t('operator.listings.delivery'),
      dataIndex: 'delivery',
      render: (d: string) => tDynamic(`operator.delivery.${d}`),
    },
    {
      title: t('operator.listings.pricing'),
      dataIndex: 'pricing',
      render: (p: Listing['pricing']) => (
        <span>
          {tDynamic(`operator.pricing.${p.mode}`)} <Yuan fen={p.priceFen} />
        </span>
      ),
    },
    {
      title: t('operator.updatedAt'),
      dataIndex: 'updatedAt',
      render: (iso: string) => <DateTime iso={iso} />,
    },
  ];
}

/** Listings submitted for review: approve, or reject with a reason. */
export default function ListingsPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const columns = useListingColumns();
  const [reloadKey, setReloadKey] = useState(0);
  const [asking, setAsking] = useState<{ listing: Listing; decision: Decision } | null>(null);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/listings', { params: { query: { status: 'submitted', after, limit: 20 } } })),
    [],
  );
  const review = useAction(async (id: string, decision: Decision, reason?: string) => {
    await unwrap(
      api.POST('/v1/listings/{id}/review', {
        params: { path: { id } },
        body: { decision, ...(reason ? { reason } : {}) },
      }),
    );
    setAsking(null);
    setReloadKey((k) => k + 1);
  });
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('operator.listings.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('operator.listings.intro')}</Typography.Paragraph>
      <PagedTable<Listing>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        expandable={{
          expandedRowRender: (l) => (
            <Space direction="vertical">
              <Typography.Text>{l.description}</Typography.Text>
              <Typography.Text type="secondary">
                {t('operator.listings.recipes')}:{' '}
                {l.recipes.map((r) => `${r.recipe}(${r.columns.join(', ')})`).join('; ')}
              </Typography.Text>
            </Space>
          ),
        }}
        columns={[
          ...columns,
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, l: Listing) =>
              session.canWrite('operator') && (
                <Space>
                  {(['approve', 'reject'] as const).map((d) => (
                    <Button
                      key={d}
                      size="small"
                      type={d === 'approve' ? 'primary' : 'default'}
                      onClick={() => setAsking({ listing: l, decision: d })}
                    >
                      {tDynamic(`operator.listings.decision.${d}`)}
                    </Button>
                  ))}
                </Space>
              ),
          },
        ]}
      />
      <ReasonDialog
        title={
          asking
            ? t('operator.listings.confirm', {
                action: tDynamic(`operator.listings.decision.${asking.decision}`),
                title: asking.listing.title,
              })
            : null
        }
        okText={asking ? tDynamic(`operator.listings.decision.${asking.decision}`) : ''}
        required={asking?.decision === 'reject'}
        running={review.running}
        onCancel={() => setAsking(null)}
        onOk={(reason) => asking && void review.run(asking.listing.id, asking.decision, reason)}
      />
    </>
  );
}
