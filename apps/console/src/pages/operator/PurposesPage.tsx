import { Button, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ReasonDialog } from './ReasonDialog';

type Negotiation = Schemas['NegotiationResponse'];
type Decision = Schemas['PurposeReviewDto']['decision'];

const purposeOf = (n: Negotiation): string => {
  const terms = n.terms as { purpose?: unknown } | null;
  return typeof terms?.purpose === 'string' ? terms.purpose : '—';
};

/** Conditional free use (DE 41): accepted negotiations whose purpose waits for the operator before a contract forms. */
export default function PurposesPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [reloadKey, setReloadKey] = useState(0);
  const [asking, setAsking] = useState<{ negotiation: Negotiation; decision: Decision } | null>(null);
  const load = useCallback(async (after: string | undefined) => {
    const page = await unwrap(
      api.GET('/v1/negotiations', { params: { query: { state: 'accepted', after, limit: 50 } } }),
    );
    return { items: page.items.filter((n) => n.purposeApproval === 'pending'), next: page.next };
  }, []);
  const review = useAction(async (id: string, decision: Decision, reason: string) => {
    await unwrap(
      api.POST('/v1/negotiations/{id}/purpose-review', {
        params: { path: { id } },
        body: { decision, reason },
      }),
    );
    setAsking(null);
    setReloadKey((k) => k + 1);
  });
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('operator.purposes.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('operator.purposes.intro')}</Typography.Paragraph>
      <PagedTable<Negotiation>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          {
            title: t('operator.purposes.purpose'),
            key: 'purpose',
            render: (_: unknown, n: Negotiation) => purposeOf(n),
          },
          {
            title: t('operator.purposes.listing'),
            dataIndex: 'listingId',
            render: (id: string) => <code>{id.slice(0, 8)}</code>,
          },
          {
            title: t('operator.purposes.buyer'),
            key: 'buyer',
            render: (_: unknown, n: Negotiation) => n.buyerOrganisationName,
          },
          {
            title: t('operator.updatedAt'),
            dataIndex: 'updatedAt',
            render: (iso: string) => <DateTime iso={iso} />,
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, n: Negotiation) =>
              session.canWrite('operator') && (
                <Space>
                  {(['approve', 'refuse'] as const).map((d) => (
                    <Button
                      key={d}
                      size="small"
                      type={d === 'approve' ? 'primary' : 'default'}
                      onClick={() => setAsking({ negotiation: n, decision: d })}
                    >
                      {tDynamic(`operator.purposes.decision.${d}`)}
                    </Button>
                  ))}
                </Space>
              ),
          },
        ]}
      />
      <ReasonDialog
        title={asking ? tDynamic(`operator.purposes.decision.${asking.decision}`) : null}
        okText={asking ? tDynamic(`operator.purposes.decision.${asking.decision}`) : ''}
        required
        running={review.running}
        onCancel={() => setAsking(null)}
        onOk={(reason) => asking && reason && void review.run(asking.negotiation.id, asking.decision, reason)}
      />
    </>
  );
}
