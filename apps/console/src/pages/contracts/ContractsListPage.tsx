import { CONTRACT_STATES, type ContractState } from '@app/trading/core';
import { Form, Select, Space, Typography } from 'antd';
import { useCallback, useId, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { counterpartyName } from '../../components/counterparty';
import { EscrowTag, StateTag, sideOf, type Contract } from './shared';

type State = ContractState;

/** The organisation's contracts, newest first, with what each awaits of it. */
export default function ContractsListPage() {
  const { t, tDynamic } = useI18n();
  const { principal } = useSession();
  const [state, setState] = useState<State | undefined>(undefined);
  const filterId = useId();
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/contracts', { params: { query: { after, limit: 20, state } } })),
    [state],
  );
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('contracts.list.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('contracts.list.intro')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Form layout="inline">
          <Form.Item label={t('contracts.list.filterState')} htmlFor={filterId}>
            <Select<State | undefined>
              id={filterId}
              allowClear
              style={{ width: 200 }}
              value={state}
              placeholder={t('contracts.list.allStates')}
              onChange={(value) => setState(value ?? undefined)}
              options={CONTRACT_STATES.map((s) => ({ value: s, label: tDynamic(`contracts.state.${s}`) }))}
            />
          </Form.Item>
        </Form>
        <PagedTable<Contract>
          rowKey="id"
          load={load}
          columns={[
            {
              title: t('contracts.field.id'),
              key: 'id',
              render: (_, c) => <Link to={`/contracts/${c.id}`}>{c.id.slice(0, 8)}</Link>,
            },
            { title: t('contracts.field.purpose'), key: 'purpose', render: (_, c) => c.terms.purpose },
            {
              title: t('contracts.field.mySide'),
              key: 'side',
              render: (_, c) => {
                const side = sideOf(c, principal?.organisationId);
                return side ? tDynamic(`contracts.side.${side}`) : '—';
              },
            },
            {
              title: t('contracts.field.counterparty'),
              key: 'counterparty',
              render: (_, c) => counterpartyName(c, principal?.organisationId),
            },
            {
              title: t('contracts.field.amount'),
              key: 'amount',
              align: 'right',
              render: (_, c) => <Yuan fen={c.amountFen} />,
            },
            {
              title: t('contracts.field.state'),
              key: 'state',
              render: (_, c) => <StateTag state={c.state} />,
            },
            {
              title: t('contracts.field.escrow'),
              key: 'escrow',
              render: (_, c) => <EscrowTag escrow={c.escrow} />,
            },
            {
              title: t('contracts.field.createdAt'),
              key: 'createdAt',
              render: (_, c) => <DateTime iso={c.createdAt} />,
            },
          ]}
        />
      </Space>
    </>
  );
}
