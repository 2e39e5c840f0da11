import { Alert, Button, Card, Descriptions, Form, Input, Space, Spin, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, download, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { FundPanel } from './FundPanel';
import { EscrowTag, StateTag, loadContract, sideOf, type Contract } from './shared';

type DeliveryFile = Schemas['DeliveryFileResponse'];
type Dispute = Schemas['DisputeResponse'];

const LABEL = { label: { whiteSpace: 'nowrap' as const } };

const percent = (basisPoints: number) => `${(basisPoints / 100).toFixed(2)}%`;

/** One contract: its parties and terms, the signatures, the escrow, the delivery files and any dispute. */
export default function ContractDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [contract, setContract] = useState<Contract | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    loadContract(id)
      .then(setContract)
      .catch((caught: unknown) => setError(describeError(caught, t)));
  }, [id, t, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('contracts.detail.title')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={error} />}
      {!contract && !error && <Spin />}
      {contract && <ContractView contract={contract} onChanged={reload} />}
    </>
  );
}

function ContractView({ contract: c, onChanged }: { contract: Contract; onChanged: () => void }) {
  const { t, tDynamic, list } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const side = sideOf(c, session.principal?.organisationId);
  const mine = side ? c.signatures[side] : null;
  const mayAct = side !== null && session.canWrite(side);
  const confirm = useAction(
    () => unwrap(api.POST('/v1/contracts/{id}/confirm-delivery', { params: { path: { id: c.id } } })),
    t('contracts.detail.confirmed'),
  );
  const terms = c.terms;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <StateTag state={c.state} />
        <EscrowTag escrow={c.escrow} />
        {side && <span>{t('contracts.detail.youAre', { side: tDynamic(`contracts.side.${side}`) })}</span>}
      </Space>
      {c.state === 'suspended' && (
        <Alert
          type="warning"
          showIcon
          data-testid="contract-suspended"
          message={t('contracts.detail.suspended')}
          description={c.suspensionReason ?? t('contracts.detail.suspendedNoReason')}
        />
      )}
      {c.state === 'awaiting_signatures' && side && !mine && mayAct && (
        <Alert
          type="warning"
          showIcon
          message={t('contracts.detail.awaitsYourSignature')}
          action={
            <Button type="primary" onClick={() => void navigate(`/contracts/${c.id}/sign`)}>
              {t('contracts.detail.signNow')}
            </Button>
          }
        />
      )}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.detail.terms')}</h2>}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} styles={LABEL}>
          <Descriptions.Item label={t('contracts.field.id')}>
            <Typography.Text copyable>{c.id}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.level')}>
            {tDynamic(`contracts.level.${c.level}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.buyer')}>
            <Party name={c.buyerOrganisationName} id={c.buyerOrganisationId} />
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.merchant')}>
            <Party name={c.merchantOrganisationName} id={c.merchantOrganisationId} />
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.listing')}>
            <ListingTitle id={c.listingId} />
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.negotiation')}>
            <Link to={`/negotiations/${c.negotiationId}`}>
              {t('contracts.detail.negotiationVersion', {
                id: c.negotiationId.slice(0, 8),
                version: c.version,
              })}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.purpose')} span={2}>
            {terms.purpose}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.columns')}>{list(terms.columns)}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.recipes')}>{list(terms.recipes)}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.delivery')}>
            {tDynamic(`contracts.delivery.${terms.delivery}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.billingUnit')}>
            {tDynamic(`contracts.billing.${terms.billingUnit}`)}
            {terms.billingUnit === 'per-computation' &&
              ` × ${t('contracts.detail.computations', { n: terms.computations ?? 0, used: c.computationsUsed })}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.price')}>
            <Yuan fen={terms.priceFen} />
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.amount')}>
            <strong>
              <Yuan fen={c.amountFen} />
            </strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.period')}>
            {t('contracts.detail.days', { n: terms.periodDays })}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.fees')}>
            {t('contracts.detail.fees', {
              platform: percent(c.platformFeeBasisPoints),
              pub: percent(c.publicResourceFeeBasisPoints),
            })}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.clauses')} span={2}>
            {c.clauses.length === 0 ? (
              '—'
            ) : (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {c.clauses.map((k) => (
                  <li key={k.code}>
                    {k.text} ({k.article})
                  </li>
                ))}
              </ul>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.field.termsHash')} span={2}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {c.termsHash}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.detail.signatures')}</h2>}>
        <Table
          rowKey="side"
          pagination={false}
          size="small"
          dataSource={(['merchant', 'buyer', 'platform'] as const).map((s) => ({
            side: s,
            sig: c.signatures[s],
          }))}
          columns={[
            {
              title: t('contracts.field.party'),
              key: 'side',
              render: (_, r) => tDynamic(`contracts.side.${r.side}`),
            },
            {
              title: t('contracts.field.signer'),
              key: 'signer',
              render: (_, r) =>
                r.sig ? (
                  <Typography.Text code>{r.sig.signer}</Typography.Text>
                ) : (
                  t('contracts.detail.notSigned')
                ),
            },
            {
              title: t('contracts.field.signedAt'),
              key: 'at',
              render: (_, r) => (r.sig ? <DateTime iso={r.sig.signedAt} /> : '—'),
            },
          ]}
        />
      </Card>

      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.detail.money')}</h2>}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} styles={LABEL}>
            <Descriptions.Item label={t('contracts.field.escrow')}>
              <EscrowTag escrow={c.escrow} />
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.field.fundedAt')}>
              <DateTime iso={c.fundedAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.field.deliveryDueAt')}>
              <DateTime iso={c.deliveryDueAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.field.deliveredAt')}>
              <DateTime iso={c.deliveredAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.field.endsAt')}>
              <DateTime iso={c.endsAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.field.endedAt')}>
              <DateTime iso={c.endedAt} />
              {c.endReason && ` · ${tDynamic(`contracts.endReason.${c.endReason}`)}`}
            </Descriptions.Item>
          </Descriptions>
          {side === 'buyer' && mayAct && c.state === 'signed' && (
            <FundPanel contract={c} onFunded={onChanged} />
          )}
          {side === 'buyer' && mayAct && c.state === 'active' && c.escrow === 'held' && !c.deliveredAt && (
            <Space direction="vertical">
              <Typography.Text>{t('contracts.detail.confirmHelp')}</Typography.Text>
              <Button
                type="primary"
                loading={confirm.running}
                onClick={() => void confirm.run().then((r) => r && onChanged())}
              >
                {t('contracts.detail.confirmDelivery')}
              </Button>
            </Space>
          )}
        </Space>
      </Card>

      {c.terms.delivery === 'file' && <FilesCard contract={c} side={side} />}
      <DisputesCard
        contract={c}
        mayOpen={mayAct && c.escrow === 'held' && c.state === 'active'}
        onOpened={onChanged}
      />
    </Space>
  );
}

function FilesCard({ contract: c, side }: { contract: Contract; side: string | null }) {
  const { t } = useI18n();
  const [access, setAccess] = useState<{ granted: boolean; endsAt: string | null } | null>(null);
  const load = useCallback(async () => {
    const files = await unwrap(api.GET('/v1/contracts/{id}/files', { params: { path: { id: c.id } } }));
    setAccess({ granted: files.accessGranted, endsAt: files.accessEndsAt });
    return onePage(files.files);
  }, [c.id]);
  const fetchFile = useAction((file: DeliveryFile) =>
    download(`/v1/contracts/${c.id}/files/${file.id}`, file.name),
  );
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.detail.files')}</h2>}>
      {access && (
        <Typography.Paragraph>
          {access.granted ? t('contracts.detail.accessGranted') : t('contracts.detail.accessNotGranted')}{' '}
          {access.endsAt && <DateTime iso={access.endsAt} />}
        </Typography.Paragraph>
      )}
      <PagedTable<DeliveryFile>
        rowKey="id"
        load={load}
        columns={[
          { title: t('contracts.field.fileName'), dataIndex: 'name' },
          { title: t('contracts.field.size'), key: 'size', render: (_, f) => f.sizeBytes.toLocaleString() },
          {
            title: t('contracts.field.sha256'),
            key: 'sha',
            render: (_, f) => <Typography.Text code>{f.sha256.slice(0, 16)}…</Typography.Text>,
          },
          {
            title: t('contracts.field.createdAt'),
            key: 'at',
            render: (_, f) => <DateTime iso={f.createdAt} />,
          },
          {
            title: t('contracts.field.actions'),
            key: 'download',
            render: (_, f) =>
              side === 'buyer' && access?.granted ? (
                <Button size="small" onClick={() => void fetchFile.run(f)}>
                  {t('contracts.detail.download', { name: f.name })}
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}

const HASH = /^0x[0-9a-fA-F]{64}$/;

async function sha256Hex(file: File): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  return `0x${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function DisputesCard({
  contract: c,
  mayOpen,
  onOpened,
}: {
  contract: Contract;
  mayOpen: boolean;
  onOpened: () => void;
}) {
  const { t, tDynamic } = useI18n();
  const [form] = Form.useForm<{ statement: string; hashes: string }>();
  const [reloadKey, setReloadKey] = useState(0);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/disputes', { params: { query: { contractId: c.id, after, limit: 20 } } })),
    [c.id],
  );
  const open = useAction(async (fields: { statement: string; hashes?: string }) => {
    const evidenceHashes = (fields.hashes ?? '')
      .split(/\s+/)
      .map((h) => h.trim())
      .filter(Boolean);
    const bad = evidenceHashes.find((h) => !HASH.test(h));
    if (bad) throw new Error(t('contracts.dispute.badHash', { hash: bad }));
    return unwrap(
      api.POST('/v1/contracts/{id}/disputes', {
        params: { path: { id: c.id } },
        body: { statement: fields.statement, evidenceHashes },
      }),
    );
  }, t('contracts.dispute.opened'));
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('contracts.detail.disputes')}</h2>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <PagedTable<Dispute>
          rowKey="id"
          load={load}
          reloadKey={reloadKey}
          columns={[
            {
              title: t('contracts.field.createdAt'),
              key: 'at',
              render: (_, d) => <DateTime iso={d.createdAt} />,
            },
            {
              title: t('contracts.dispute.openedBy'),
              key: 'by',
              render: (_, d) => tDynamic(`contracts.side.${d.openedBySide}`),
            },
            { title: t('contracts.dispute.statement'), dataIndex: 'statement' },
            {
              title: t('contracts.field.state'),
              key: 'state',
              render: (_, d) =>
                d.state === 'decided' && d.outcome
                  ? tDynamic(`contracts.outcome.${d.outcome}`)
                  : tDynamic(`contracts.disputeState.${d.state}`),
            },
          ]}
        />
        {mayOpen && (
          <Form
            form={form}
            layout="vertical"
            style={{ maxWidth: 640 }}
            onFinish={(fields) =>
              void open.run(fields).then((d) => {
                if (!d) return;
                form.resetFields();
                setReloadKey((k) => k + 1);
                onOpened();
              })
            }
          >
            <Typography.Title level={3} style={{ fontSize: 16 }}>
              {t('contracts.dispute.raise')}
            </Typography.Title>
            <Form.Item
              name="statement"
              label={t('contracts.dispute.statement')}
              rules={[{ required: true, message: t('contracts.dispute.statementRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={5000} />
            </Form.Item>
            <Form.Item
              name="hashes"
              label={t('contracts.dispute.hashes')}
              extra={t('contracts.dispute.hashesHelp')}
            >
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item label={t('contracts.dispute.hashFile')}>
              <input
                type="file"
                aria-label={t('contracts.dispute.hashFile')}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  void sha256Hex(file).then((hash) => {
                    const current = (form.getFieldValue('hashes') as string | undefined) ?? '';
                    form.setFieldValue('hashes', current ? `${current}\n${hash}` : hash);
                  });
                }}
              />
            </Form.Item>
            <Button type="primary" danger htmlType="submit" loading={open.running}>
              {t('contracts.dispute.submit')}
            </Button>
          </Form>
        )}
      </Space>
    </Card>
  );
}

/** An organisation by its registered name, with its id (what the ledger and the API name it by) beneath. */
function Party({ name, id }: { name: string; id: string }) {
  return (
    <Space direction="vertical" size={0}>
      <span>{name || '—'}</span>
      <Typography.Text type="secondary" copyable={{ text: id }} style={{ fontSize: 12 }}>
        {id}
      </Typography.Text>
    </Space>
  );
}

/** The listing's title linked to its catalogue page, or its id when the caller may no longer read it. */
function ListingTitle({ id }: { id: string }) {
  const [title, setTitle] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    unwrap(api.GET('/v1/listings/{id}', { params: { path: { id } } }))
      .then((l) => live && setTitle(l.title))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id]);
  return title ? <Link to={`/catalog/${id}`}>{title}</Link> : <Typography.Text code>{id}</Typography.Text>;
}
