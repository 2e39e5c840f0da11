import {
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';

type Dispute = Schemas['DisputeResponse'];
type Outcome = Schemas['DisputeDecisionDto']['outcome'];
interface Fields {
  outcome: Outcome;
  buyerSharePercent?: number;
  reason: string;
}

/** Disputes over contracts: the open ones to decide (release, refund or split the escrow), and those decided. */
export default function DisputesPage() {
  const { t, tDynamic } = useI18n();
  const [state, setState] = useState<Dispute['state']>('open');
  const [reloadKey, setReloadKey] = useState(0);
  const [open, setOpen] = useState<Dispute | null>(null);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/disputes', { params: { query: { state, after, limit: 20 } } })),
    [state],
  );
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('operator.disputes.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('operator.disputes.intro')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <label htmlFor="dispute-state">{t('operator.status')}</label>
        <Select<Dispute['state']>
          id="dispute-state"
          value={state}
          onChange={setState}
          style={{ width: 160 }}
          options={(['open', 'decided'] as const).map((s) => ({
            value: s,
            label: tDynamic(`operator.disputeState.${s}`),
          }))}
        />
      </Space>
      <PagedTable<Dispute>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          {
            title: t('operator.disputes.contract'),
            dataIndex: 'contractId',
            render: (id: string) => <code>{id.slice(0, 8)}</code>,
          },
          {
            title: t('operator.disputes.openedBy'),
            dataIndex: 'openedBySide',
            render: (s: string) => tDynamic(`operator.side.${s}`),
          },
          { title: t('operator.disputes.statement'), dataIndex: 'statement', ellipsis: true },
          {
            title: t('operator.status'),
            dataIndex: 'state',
            render: (s: string, d: Dispute) => (
              <Tag>
                {tDynamic(`operator.disputeState.${s}`)}
                {d.outcome && ` · ${tDynamic(`operator.outcome.${d.outcome}`)}`}
              </Tag>
            ),
          },
          {
            title: t('operator.disputes.createdAt'),
            dataIndex: 'createdAt',
            render: (iso: string) => <DateTime iso={iso} />,
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, d: Dispute) => (
              <Button
                size="small"
                type={d.state === 'open' ? 'primary' : 'default'}
                onClick={() => setOpen(d)}
              >
                {d.state === 'open' ? t('operator.disputes.decide') : t('app.details')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={open !== null}
        width={640}
        title={t('operator.disputes.drawerTitle')}
        onClose={() => setOpen(null)}
        destroyOnHidden
      >
        {open && (
          <DisputeDecision
            dispute={open}
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

function DisputeDecision({ dispute, onDecided }: { dispute: Dispute; onDecided(): void }) {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [form] = Form.useForm<Fields>();
  const outcome = Form.useWatch('outcome', form);
  const [contract, setContract] = useState<Schemas['ContractResponse'] | null>(null);
  useEffect(() => {
    void unwrap(api.GET('/v1/contracts/{id}', { params: { path: { id: dispute.contractId } } }))
      .then(setContract)
      .catch(() => setContract(null));
  }, [dispute.contractId]);
  const decide = useAction(async (f: Fields) => {
    await unwrap(
      api.POST('/v1/disputes/{id}/decision', {
        params: { path: { id: dispute.id } },
        body: {
          outcome: f.outcome,
          reason: f.reason.trim(),
          ...(f.outcome === 'split'
            ? { buyerShareBasisPoints: Math.round((f.buyerSharePercent ?? 0) * 100) }
            : {}),
        },
      }),
    );
    onDecided();
  });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions column={1} size="small" bordered styles={{ label: { width: 128, whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('operator.disputes.contract')}>
          <code>{dispute.contractId}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.disputes.amount')}>
          <Yuan fen={contract?.amountFen} />
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.disputes.escrow')}>
          {contract ? tDynamic(`operator.escrow.${contract.escrow}`) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.disputes.openedBy')}>
          {tDynamic(`operator.side.${dispute.openedBySide}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('operator.disputes.statement')}>{dispute.statement}</Descriptions.Item>
        <Descriptions.Item label={t('operator.disputes.evidence')}>
          {dispute.evidenceHashes.length === 0
            ? '—'
            : dispute.evidenceHashes.map((h) => (
                <div key={h}>
                  <code>{h}</code>
                </div>
              ))}
        </Descriptions.Item>
        {dispute.state === 'decided' && (
          <>
            <Descriptions.Item label={t('operator.disputes.outcome')}>
              {tDynamic(`operator.outcome.${dispute.outcome}`)}
              {dispute.buyerShareBasisPoints != null && ` (${dispute.buyerShareBasisPoints / 100}%)`}
            </Descriptions.Item>
            <Descriptions.Item label={t('operator.reason')}>{dispute.decisionReason}</Descriptions.Item>
            <Descriptions.Item label={t('operator.disputes.decidedAt')}>
              <DateTime iso={dispute.decidedAt} />
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {dispute.state === 'open' && session.canWrite('operator') && (
        <Form<Fields> form={form} layout="vertical" requiredMark={false} onFinish={(f) => void decide.run(f)}>
          <Form.Item
            name="outcome"
            label={t('operator.disputes.outcome')}
            rules={[{ required: true, message: t('operator.disputes.outcomeRequired') }]}
          >
            <Radio.Group
              options={(['release', 'refund', 'split'] as const).map((o) => ({
                value: o,
                label: tDynamic(`operator.outcome.${o}`),
              }))}
            />
          </Form.Item>
          {outcome === 'split' && (
            <Form.Item
              name="buyerSharePercent"
              label={t('operator.disputes.buyerShare')}
              extra={t('operator.disputes.buyerShareHint')}
              rules={[
                {
                  required: true,
                  type: 'number',
                  min: 0.01,
                  max: 99.99,
                  message: t('operator.disputes.buyerShareRule'),
                },
              ]}
            >
              <InputNumber
                min={0.01}
                max={99.99}
                precision={2}
                step={1}
                addonAfter="%"
                style={{ width: 180 }}
              />
            </Form.Item>
          )}
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
      )}
    </Space>
  );
}
