import { Button, Popconfirm, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { LevelTag, StateTag } from './common';

type Listing = Schemas['ListingResponse'];
const WITHDRAWABLE = ['draft', 'submitted', 'approved', 'published', 'suspended'];

/** The merchant's listings and their lifecycle: submit for review, publish once approved, withdraw. */
export default function ListingsPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [reload, setReload] = useState(0);
  const load = useCallback(
    async (after: string | undefined) =>
      unwrap(api.GET('/v1/listings', { params: { query: { after, limit: 20 } } })),
    [],
  );
  const step = useAction(async (id: string, action: 'submit' | 'publish' | 'withdraw') => {
    if (action === 'withdraw')
      await unwrap(api.POST('/v1/listings/{id}/withdraw', { params: { path: { id } }, body: {} }));
    else await unwrap(api.POST(`/v1/listings/{id}/${action}`, { params: { path: { id } } }));
    setReload((r) => r + 1);
  });
  const writer = session.canWrite('merchant');

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('merchant.listings.title')}
      </Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('merchant.listings.intro')}</Typography.Paragraph>
        {writer && (
          <Button type="primary" onClick={() => void navigate('/merchant/listings/new')}>
            {t('merchant.listings.create')}
          </Button>
        )}
        <PagedTable<Listing>
          rowKey="id"
          load={load}
          reloadKey={reload}
          columns={[
            { title: t('merchant.listing.title'), dataIndex: 'title' },
            {
              title: t('merchant.listing.status'),
              dataIndex: 'status',
              render: (s: string, l) => (
                <span data-testid={`listing-status-${l.id}`} data-status={s}>
                  <StateTag state={s} />
                </span>
              ),
            },
            {
              title: t('merchant.asset.level'),
              dataIndex: 'level',
              render: (l: Listing['level']) => <LevelTag level={l} />,
            },
            {
              title: t('merchant.listing.delivery'),
              dataIndex: 'delivery',
              render: (d: string) => tDynamic(`merchant.delivery.${d}`),
            },
            {
              title: t('merchant.listing.price'),
              key: 'price',
              render: (_, l) => (
                <>
                  <Yuan fen={l.pricing.priceFen} /> · {tDynamic(`merchant.pricing.${l.pricing.mode}`)}
                </>
              ),
            },
            {
              title: t('merchant.listing.updatedAt'),
              dataIndex: 'updatedAt',
              render: (iso: string) => <DateTime iso={iso} />,
            },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_, l) =>
                writer && (
                  <Space wrap>
                    {l.status === 'draft' && (
                      <Button
                        size="small"
                        type="primary"
                        loading={step.running}
                        onClick={() => void step.run(l.id, 'submit')}
                      >
                        {t('merchant.listing.submit')}
                      </Button>
                    )}
                    {l.status === 'approved' && (
                      <Button
                        size="small"
                        type="primary"
                        autoInsertSpace={false}
                        loading={step.running}
                        onClick={() => void step.run(l.id, 'publish')}
                      >
                        {t('merchant.listing.publish')}
                      </Button>
                    )}
                    {WITHDRAWABLE.includes(l.status) && (
                      <Popconfirm
                        title={t('merchant.listing.withdrawConfirm')}
                        okText={t('app.confirm')}
                        cancelText={t('app.cancel')}
                        onConfirm={() => void step.run(l.id, 'withdraw')}
                      >
                        <Button size="small" autoInsertSpace={false}>
                          {t('merchant.listing.withdraw')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Space>
    </>
  );
}
