import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Spin, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { counterpartyName } from '../../components/counterparty';
import { TermsDiff } from './TermsDiff';
import { TermsForm } from './TermsForm';

type Negotiation = Schemas['NegotiationResponse'];
type Reason = Schemas['TerminateDto']['reason'];
const REASONS: Record<'buyer' | 'merchant', Reason[]> = {
  buyer: ['buyer_withdrew', 'terms_unacceptable', 'listing_unavailable', 'compliance_refused', 'other'],
  merchant: ['merchant_declined', 'terms_unacceptable', 'listing_unavailable', 'compliance_refused', 'other'],
};
const OPEN = ['requested', 'offered'];

/** One negotiation: every version, two of them side by side, and the steps this side may take. */
export default function NegotiationPage() {
  const { id = '' } = useParams();
  const { t, tDynamic, list } = useI18n();
  const session = useSession();
  const [negotiation, setNegotiation] = useState<Negotiation | null>(null);
  const [listing, setListing] = useState<Schemas['ListingResponse'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState<number | undefined>();
  const [right, setRight] = useState<number | undefined>();
  const [countering, setCountering] = useState(false);
  const [reason, setReason] = useState<Reason | undefined>();
  const [detail, setDetail] = useState('');

  const show = useCallback((n: Negotiation) => {
    setNegotiation(n);
    setLeft(Math.max(1, n.version - 1));
    setRight(n.version);
  }, []);
  const reload = useCallback(
    () =>
      unwrap(api.GET('/v1/negotiations/{id}', { params: { path: { id } } }))
        .then(show)
        .catch((e: unknown) => setError(describeError(e, t))),
    [id, show, t],
  );
  useEffect(() => void reload(), [reload]);
  const listingId = negotiation?.listingId;
  useEffect(() => {
    if (!listingId) return;
    unwrap(api.GET('/v1/listings/{id}', { params: { path: { id: listingId } } }))
      .then(setListing)
      .catch(() => setListing(null));
  }, [listingId]);

  const side: 'buyer' | 'merchant' | null =
    negotiation?.buyerOrganisationId === session.principal?.organisationId
      ? 'buyer'
      : negotiation?.merchantOrganisationId === session.principal?.organisationId
        ? 'merchant'
        : null;
  const mayWrite = side !== null && session.canWrite(side);

  const accept = useAction(
    useCallback(
      (version: number) =>
        unwrap(
          api.POST('/v1/negotiations/{id}/accept', { params: { path: { id } }, body: { version } }),
        ).then(show),
      [id, show],
    ),
    t('buyer.negotiation.accepted'),
  );
  const counter = useAction(
    useCallback(
      (terms: Schemas['TermsDto'], basedOnVersion: number) =>
        unwrap(
          api.POST('/v1/negotiations/{id}/offers', {
            params: { path: { id } },
            body: { basedOnVersion, terms },
          }),
        ).then((n) => {
          show(n);
          setCountering(false);
        }),
      [id, show],
    ),
    t('buyer.negotiation.countered'),
  );
  const terminate = useAction(
    useCallback(
      (r: Reason, d: string) =>
        unwrap(
          api.POST('/v1/negotiations/{id}/terminate', {
            params: { path: { id } },
            body: { reason: r, ...(d.trim() ? { detail: d.trim() } : {}) },
          }),
        ).then(show),
      [id, show],
    ),
    t('buyer.negotiation.terminated'),
  );

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!negotiation) return <Spin />;
  const n = negotiation;
  const versionOf = (v: number | undefined) => n.versions.find((x) => x.version === v);
  const l = versionOf(left);
  const r = versionOf(right);
  const open = OPEN.includes(n.state);
  const versionLabel = (v: Schemas['NegotiationVersionResponse']) =>
    t('buyer.negotiation.versionLabel', { version: v.version, side: tDynamic(`buyer.side.${v.side}`) });

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('buyer.negotiation.title')}
      </Typography.Title>
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label={t('buyer.negotiations.state')}>
            <ColourTag colour={n.state === 'terminated' ? 'red' : 'blue'}>
              {tDynamic(`buyer.negotiationState.${n.state}`)}
            </ColourTag>
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiation.listing')}>
            <Link to={`/catalog/${n.listingId}`}>{listing?.title ?? n.listingId}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiation.counterparty')}>
            {counterpartyName(n, session.principal?.organisationId)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiations.version')}>{n.version}</Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiations.latestSide')}>
            {tDynamic(`buyer.side.${n.latestSide}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiation.expiresAt')}>
            <DateTime iso={n.expiresAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiation.purposeApproval')}>
            {tDynamic(`buyer.purposeApproval.${n.purposeApproval}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.negotiation.termsHash')} span={2}>
            <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
              {n.termsHash}
            </Typography.Text>
          </Descriptions.Item>
          {n.contractId && (
            <Descriptions.Item label={t('buyer.negotiation.contract')} span={2}>
              <Typography.Text code data-testid="contract-id">
                {n.contractId}
              </Typography.Text>
            </Descriptions.Item>
          )}
          {n.termination && (
            <Descriptions.Item label={t('buyer.negotiation.termination')} span={2}>
              {tDynamic(`buyer.reason.${n.termination.reason}`)} ·{' '}
              {tDynamic(`buyer.side.${n.termination.by}`)}
              {n.termination.detail ? ` · ${n.termination.detail}` : ''}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      <Card
        style={{ marginTop: 16 }}
        title={
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            {t('buyer.negotiation.versions')}
          </Typography.Title>
        }
      >
        <Table
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={n.versions}
          columns={[
            { title: t('buyer.negotiations.version'), dataIndex: 'version' },
            {
              title: t('buyer.negotiation.author'),
              key: 'side',
              render: (_, v) => tDynamic(`buyer.side.${v.side}`),
            },
            {
              title: t('buyer.listing.price'),
              key: 'price',
              render: (_, v) => <Yuan fen={v.terms.priceFen} />,
            },
            {
              title: t('buyer.negotiation.changes'),
              key: 'changes',
              render: (_, v) => list(v.changes.map((c) => tDynamic(`buyer.term.${c.field}`))),
            },
            {
              title: t('buyer.negotiation.createdAt'),
              key: 'createdAt',
              render: (_, v) => <DateTime iso={v.createdAt} />,
            },
            {
              title: t('buyer.negotiation.expiresAt'),
              key: 'expiresAt',
              render: (_, v) => <DateTime iso={v.expiresAt} />,
            },
          ]}
        />
      </Card>

      <Card
        style={{ marginTop: 16 }}
        title={
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            {t('buyer.negotiation.compare')}
          </Typography.Title>
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <label htmlFor="diff-left">{t('buyer.negotiation.leftVersion')}</label>
          <Select
            id="diff-left"
            style={{ width: 200 }}
            value={left}
            onChange={setLeft}
            options={n.versions.map((v) => ({ value: v.version, label: versionLabel(v) }))}
          />
          <label htmlFor="diff-right">{t('buyer.negotiation.rightVersion')}</label>
          <Select
            id="diff-right"
            style={{ width: 200 }}
            value={right}
            onChange={setRight}
            options={n.versions.map((v) => ({ value: v.version, label: versionLabel(v) }))}
          />
        </Space>
        {l && r && (
          <TermsDiff
            left={l.terms}
            right={r.terms}
            leftLabel={versionLabel(l)}
            rightLabel={versionLabel(r)}
          />
        )}
      </Card>

      {mayWrite && open && (
        <Card
          style={{ marginTop: 16 }}
          title={
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              {t('buyer.negotiation.actions')}
            </Typography.Title>
          }
        >
          <Space wrap>
            {n.latestSide !== side && (
              <Button type="primary" loading={accept.running} onClick={() => void accept.run(n.version)}>
                {t('buyer.negotiation.accept', { version: n.version })}
              </Button>
            )}
            <Button onClick={() => setCountering((c) => !c)} aria-expanded={countering}>
              {t('buyer.negotiation.counter')}
            </Button>
          </Space>
          {countering && listing && (
            <div style={{ marginTop: 16 }}>
              <TermsForm
                idPrefix="counter"
                listing={listing}
                initial={n.terms}
                submitLabel={t('buyer.negotiation.sendCounter')}
                running={counter.running}
                onSubmit={(terms) => void counter.run(terms, n.version)}
              />
            </div>
          )}
        </Card>
      )}
      {mayWrite && side && ['requested', 'offered', 'accepted', 'agreed', 'verified'].includes(n.state) && (
        <Card
          style={{ marginTop: 16 }}
          title={
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              {t('buyer.negotiation.terminate')}
            </Typography.Title>
          }
        >
          <Form layout="vertical" style={{ maxWidth: 480 }}>
            <Form.Item label={t('buyer.negotiation.reason')} htmlFor="terminate-reason">
              <Select
                id="terminate-reason"
                value={reason}
                onChange={setReason}
                options={REASONS[side].map((x) => ({ value: x, label: tDynamic(`buyer.reason.${x}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('buyer.negotiation.detail')} htmlFor="terminate-detail">
              <Input id="terminate-detail" value={detail} onChange={(e) => setDetail(e.target.value)} />
            </Form.Item>
            <Button
              danger
              disabled={!reason}
              loading={terminate.running}
              onClick={() => reason && void terminate.run(reason, detail)}
            >
              {t('buyer.negotiation.terminateButton')}
            </Button>
          </Form>
        </Card>
      )}
    </>
  );
}
