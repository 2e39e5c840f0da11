import { Button, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { OrganisationsTable } from './AdmissionsPage';
import { useListingColumns } from './ListingsPage';
import { ReasonDialog } from './ReasonDialog';

type Listing = Schemas['ListingResponse'];
type Contract = Schemas['ContractResponse'];

/** Suspending and reinstating organisations, listings and contracts. */
export default function SuspensionsPage() {
  const { t } = useI18n();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('operator.suspensions.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('operator.suspensions.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          {
            key: 'organisations',
            label: t('operator.suspensions.organisations'),
            children: <OrganisationsTable initialStatus="admitted" />,
          },
          { key: 'listings', label: t('operator.suspensions.listings'), children: <ListingSuspensions /> },
          { key: 'contracts', label: t('operator.suspensions.contracts'), children: <ContractSuspensions /> },
        ]}
      />
    </>
  );
}

function ListingSuspensions() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const columns = useListingColumns();
  const [status, setStatus] = useState<'published' | 'suspended'>('published');
  const [reloadKey, setReloadKey] = useState(0);
  const [asking, setAsking] = useState<Listing | null>(null);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/listings', { params: { query: { status, after, limit: 20 } } })),
    [status],
  );
  const act = useAction(async (listing: Listing, reason?: string) => {
    const path = { params: { path: { id: listing.id } } };
    await unwrap(
      listing.status === 'suspended'
        ? api.POST('/v1/listings/{id}/reinstate', { ...path, body: reason ? { reason } : {} })
        : api.POST('/v1/listings/{id}/suspend', { ...path, body: { reason: reason ?? '' } }),
    );
    setAsking(null);
    setReloadKey((k) => k + 1);
  });
  const verb = (l: Listing) => (l.status === 'suspended' ? t('operator.reinstate') : t('operator.suspend'));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <label htmlFor="listing-status">{t('operator.status')}</label>
        <Select
          id="listing-status"
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={(['published', 'suspended'] as const).map((s) => ({
            value: s,
            label: tDynamic(`operator.listingStatus.${s}`),
          }))}
        />
      </Space>
      <PagedTable<Listing>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          ...columns,
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, l: Listing) =>
              session.canWrite('operator') && (
                <Button size="small" onClick={() => setAsking(l)}>
                  {verb(l)}
                </Button>
              ),
          },
        ]}
      />
      <ReasonDialog
        title={
          asking ? t('operator.suspensions.confirm', { action: verb(asking), name: asking.title }) : null
        }
        okText={asking ? verb(asking) : ''}
        required={asking?.status !== 'suspended'}
        running={act.running}
        onCancel={() => setAsking(null)}
        onOk={(reason) => asking && void act.run(asking, reason)}
      />
    </Space>
  );
}

function ContractSuspensions() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [state, setState] = useState<'active' | 'suspended'>('active');
  const [reloadKey, setReloadKey] = useState(0);
  const [asking, setAsking] = useState<Contract | null>(null);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/contracts', { params: { query: { state, after, limit: 20 } } })),
    [state],
  );
  const act = useAction(async (contract: Contract, reason: string) => {
    const options = { params: { path: { id: contract.id } }, body: { reason } };
    await unwrap(
      contract.state === 'suspended'
        ? api.POST('/v1/contracts/{id}/reinstatement', options)
        : api.POST('/v1/contracts/{id}/suspension', options),
    );
    setAsking(null);
    setReloadKey((k) => k + 1);
  });
  const verb = (c: Contract) => (c.state === 'suspended' ? t('operator.reinstate') : t('operator.suspend'));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <label htmlFor="contract-state">{t('operator.status')}</label>
        <Select
          id="contract-state"
          value={state}
          onChange={setState}
          style={{ width: 160 }}
          options={(['active', 'suspended'] as const).map((s) => ({
            value: s,
            label: tDynamic(`operator.contractState.${s}`),
          }))}
        />
      </Space>
      <PagedTable<Contract>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          {
            title: t('operator.contracts.id'),
            dataIndex: 'id',
            render: (id: string) => <code>{id.slice(0, 8)}</code>,
          },
          {
            title: t('operator.contracts.purpose'),
            key: 'purpose',
            render: (_: unknown, c: Contract) => (c.terms as { purpose?: string }).purpose ?? '—',
          },
          {
            title: t('operator.contracts.amount'),
            dataIndex: 'amountFen',
            render: (fen: string) => <Yuan fen={fen} />,
          },
          {
            title: t('operator.status'),
            dataIndex: 'state',
            render: (s: string) => <Tag>{tDynamic(`operator.contractState.${s}`)}</Tag>,
          },
          {
            title: t('operator.contracts.endsAt'),
            dataIndex: 'endsAt',
            render: (iso: string | null) => <DateTime iso={iso} />,
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, c: Contract) =>
              session.canWrite('operator') && (
                <Button size="small" onClick={() => setAsking(c)}>
                  {verb(c)}
                </Button>
              ),
          },
        ]}
      />
      <ReasonDialog
        title={
          asking
            ? t('operator.suspensions.confirm', { action: verb(asking), name: asking.id.slice(0, 8) })
            : null
        }
        okText={asking ? verb(asking) : ''}
        required
        running={act.running}
        onCancel={() => setAsking(null)}
        onOk={(reason) => asking && reason && void act.run(asking, reason)}
      />
    </Space>
  );
}
