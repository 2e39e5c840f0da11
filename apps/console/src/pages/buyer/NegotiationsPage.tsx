import { NEGOTIATION_STATES } from '@app/trading/core';
import { Select, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { counterpartyName } from '../../components/counterparty';

type Negotiation = Schemas['NegotiationResponse'];

/** The negotiations of the signed-in party (buyer or merchant), newest first, with their latest version. */
export default function NegotiationsPage() {
  const { t, tDynamic } = useI18n();
  const { principal } = useSession();
  const [state, setState] = useState<Negotiation['state'] | undefined>();
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/negotiations', { params: { query: { after, state, limit: 20 } } })),
    [state],
  );
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('buyer.negotiations.title')}
      </Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <label htmlFor="negotiation-state">{t('buyer.negotiations.state')}</label>
        <Select
          id="negotiation-state"
          allowClear
          style={{ width: 200 }}
          placeholder={t('buyer.catalog.any')}
          value={state}
          onChange={setState}
          options={NEGOTIATION_STATES.map((s) => ({
            value: s,
            label: tDynamic(`buyer.negotiationState.${s}`),
          }))}
        />
        <PagedTable<Negotiation>
          rowKey="id"
          load={load}
          columns={[
            {
              title: t('buyer.negotiations.purpose'),
              key: 'purpose',
              render: (_, n) => <Link to={`/negotiations/${n.id}`}>{n.terms.purpose}</Link>,
            },
            {
              title: t('buyer.negotiations.state'),
              key: 'state',
              render: (_, n) => tDynamic(`buyer.negotiationState.${n.state}`),
            },
            {
              title: t('buyer.negotiation.counterparty'),
              key: 'counterparty',
              render: (_, n) => counterpartyName(n, principal?.organisationId),
            },
            { title: t('buyer.negotiations.version'), dataIndex: 'version' },
            {
              title: t('buyer.negotiations.latestSide'),
              key: 'side',
              render: (_, n) => tDynamic(`buyer.side.${n.latestSide}`),
            },
            {
              title: t('buyer.listing.price'),
              key: 'price',
              render: (_, n) => <Yuan fen={n.terms.priceFen} />,
            },
            {
              title: t('buyer.negotiations.updatedAt'),
              key: 'updatedAt',
              render: (_, n) => <DateTime iso={n.updatedAt} />,
            },
          ]}
        />
      </Space>
    </>
  );
}
