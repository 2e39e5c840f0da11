import { Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { parseYuan } from '../../format/money';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { newIdempotencyKey } from '../../components/idempotency';

type Account = Schemas['AccountBalanceResponse'];

/** The balances in yuan (a party its own accounts, overseers all); the operator records deposits and payouts. */
export default function BalancesPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [reloadKey, setReloadKey] = useState(0);
  const overseer = session.has('operator') || session.has('regulator');
  const load = useCallback(async () => {
    const { accounts } = await unwrap(api.GET('/v1/settlement/balances'));
    return onePage(accounts);
  }, []);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('contracts.balances.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('contracts.balances.intro')}</Typography.Paragraph>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <PagedTable<Account>
          rowKey="accountId"
          load={load}
          reloadKey={reloadKey}
          columns={[
            {
              title: t('contracts.balances.account'),
              key: 'purpose',
              render: (_, a) => tDynamic(`contracts.purpose.${a.purpose}`),
            },
            ...(overseer
              ? [
                  {
                    title: t('contracts.balances.organisation'),
                    key: 'org',
                    render: (_: unknown, a: Account) => a.organisationId ?? t('contracts.balances.platform'),
                  },
                ]
              : []),
            {
              title: t('contracts.balances.available'),
              key: 'available',
              align: 'right' as const,
              render: (_, a) => <Yuan fen={a.availableFen} />,
            },
            {
              title: t('contracts.balances.pending'),
              key: 'pending',
              align: 'right' as const,
              render: (_, a) => <Yuan fen={a.pendingFen} />,
            },
          ]}
        />
        {session.canWrite('operator') && (
          <Space wrap align="start" size="large">
            <MovementForm kind="deposit" onDone={() => setReloadKey((k) => k + 1)} />
            <MovementForm kind="withdrawal" onDone={() => setReloadKey((k) => k + 1)} />
          </Space>
        )}
      </Space>
    </>
  );
}

interface MovementFields {
  organisationId: string;
  amount: string;
  from?: 'available' | 'receivable';
}

/**
 * Operator: money paid in from outside (a deposit) or paid out (a withdrawal). The amount is typed in yuan and
 * sent as whole fen; one Idempotency-Key per movement, kept until it went through so a retry cannot move it twice.
 */
function MovementForm({ kind, onDone }: { kind: 'deposit' | 'withdrawal'; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<MovementFields>();
  const [key, setKey] = useState(newIdempotencyKey);
  const move = useAction(
    async (fields: MovementFields) => {
      const fen = parseYuan(fields.amount);
      if (fen === null || fen <= 0n) throw new Error(t('contracts.movement.badAmount'));
      const params = { header: { 'Idempotency-Key': key } };
      const body = { organisationId: fields.organisationId.trim(), amountFen: fen.toString() };
      return kind === 'deposit'
        ? unwrap(api.POST('/v1/settlement/deposits', { params, body }))
        : unwrap(
            api.POST('/v1/settlement/withdrawals', {
              params,
              body: { ...body, from: fields.from ?? 'available' },
            }),
          );
    },
    t(kind === 'deposit' ? 'contracts.movement.deposited' : 'contracts.movement.withdrawn'),
  );
  const prefix = kind === 'deposit' ? 'deposit' : 'withdrawal';
  return (
    <Card
      style={{ width: 420 }}
      title={
        <h2 style={{ fontSize: 16, margin: 0 }}>
          {t(kind === 'deposit' ? 'contracts.movement.depositTitle' : 'contracts.movement.withdrawalTitle')}
        </h2>
      }
    >
      <Form<MovementFields>
        form={form}
        name={prefix}
        layout="vertical"
        initialValues={{ from: 'available' }}
        // Other parameters are another movement: a new key (the same key with other parameters is refused).
        onValuesChange={() => setKey(newIdempotencyKey())}
        onFinish={(fields) =>
          void move.run(fields).then((r) => {
            if (!r) return;
            form.resetFields();
            setKey(newIdempotencyKey());
            onDone();
          })
        }
      >
        <Form.Item
          name="organisationId"
          label={t('contracts.movement.organisation')}
          rules={[{ required: true, message: t('contracts.movement.organisationRequired') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('contracts.movement.amount')}
          rules={[
            {
              required: true,
              validator: async (_, value: string | undefined) => {
                const fen = parseYuan(value ?? '');
                if (fen === null || fen <= 0n) throw new Error(t('contracts.movement.badAmount'));
              },
            },
          ]}
        >
          <Input inputMode="decimal" prefix="¥" autoComplete="off" />
        </Form.Item>
        {kind === 'withdrawal' && (
          <Form.Item name="from" label={t('contracts.movement.from')}>
            <Select
              options={[
                { value: 'available', label: t('contracts.purpose.available') },
                { value: 'receivable', label: t('contracts.purpose.receivable') },
              ]}
            />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={move.running}>
          {t(kind === 'deposit' ? 'contracts.movement.depositSubmit' : 'contracts.movement.withdrawalSubmit')}
        </Button>
      </Form>
    </Card>
  );
}
