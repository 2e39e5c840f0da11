import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable, type Page } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { onePage } from '../../components/onePage';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { PageTitle, OrganisationName } from './common';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';
import { decodeBase64, toHex, verifyInBrowser, type Check } from './ledger-verify';

type Entry = Schemas['LedgerEntryResponse'];
type Head = Schemas['SignedTreeHeadResponse'];
type Key = Schemas['LedgerKeyResponse'];

interface Criteria {
  subject?: string;
  actor?: string;
  actorOrganisation?: string;
  action?: string;
  from?: string;
  to?: string;
  leafIndex?: number;
}

const LIMIT = 20;

interface Verification {
  entry: Entry;
  key: Key;
  head: Head;
  inclusionPath: string[];
  checks: Check[];
}

export default function LedgerPage() {
  const { t } = useI18n();
  const [criteria, setCriteria] = useState<Criteria>({});
  const [verification, setVerification] = useState<Verification | null>(null);

  const load = useCallback(
    async (after: string | undefined): Promise<Page<Entry>> => {
      const { leafIndex, ...search } = criteria;
      if (leafIndex !== undefined) {
        const { entries } = await unwrap(
          api.GET('/v1/ledger/entries', { params: { query: { start: leafIndex, end: leafIndex } } }),
        );
        return onePage(entries);
      }
      const { entries, next } = await unwrap(
        api.GET('/v1/ledger/search', {
          params: {
            query: { ...search, after: after === undefined ? undefined : Number(after), limit: LIMIT },
          },
        }),
      );
      return { items: entries, next: entries.length === LIMIT && next !== null ? String(next) : null };
    },
    [criteria],
  );

  const verify = useAction(async (entry: Entry) => {
    setVerification(null);
    // The evidence, fetched from the API; every check below is computed here, in the browser.
    const [key, head] = await Promise.all([
      unwrap(api.GET('/v1/ledger/key')),
      unwrap(api.GET('/v1/ledger/sth')),
    ]);
    const proof = await unwrap(
      api.GET('/v1/ledger/proof/inclusion', {
        params: { query: { leafIndex: entry.leafIndex, treeSize: head.treeSize } },
      }),
    );
    const checks = await verifyInBrowser({
      leafIndex: entry.leafIndex,
      leafInput: entry.leafInput,
      head,
      inclusionPath: proof.inclusionPath,
      signerAddress: key.signerAddress,
      hashAlgorithm: key.hashAlgorithm,
    });
    const result = { entry, key, head, inclusionPath: proof.inclusionPath, checks };
    setVerification(result);
    return result;
  }, t('regulator.ledger.verifyDone'));

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <PageTitle>{t('regulator.ledger.title')}</PageTitle>
      <Typography.Paragraph>{t('regulator.ledger.intro')}</Typography.Paragraph>
      <Form<Criteria>
        layout="inline"
        onFinish={(v) =>
          setCriteria(
            Object.fromEntries(
              Object.entries(v).filter(([, value]) => value !== undefined && value !== null && value !== ''),
            ),
          )
        }
        style={{ rowGap: 8 }}
      >
        <Form.Item name="action" label={t('regulator.ledger.action')}>
          <Input placeholder="incident.reported" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="subject" label={t('regulator.ledger.subject')}>
          <Input style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="actorOrganisation" label={t('regulator.ledger.actorOrganisation')}>
          <Input style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="actor" label={t('regulator.ledger.actor')}>
          <Input style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="from" label={t('regulator.ledger.from')}>
          <Input placeholder="2026-01-01T00:00:00+08:00" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="to" label={t('regulator.ledger.to')}>
          <Input placeholder="2026-12-31T00:00:00+08:00" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="leafIndex" label={t('regulator.ledger.leafIndex')}>
          <InputNumber min={0} style={{ width: 120 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('regulator.ledger.search')}
        </Button>
      </Form>
      <PagedTable<Entry>
        load={load}
        rowKey="leafIndex"
        columns={[
          { title: t('regulator.ledger.leafIndex'), dataIndex: 'leafIndex' },
          {
            title: t('regulator.ledger.time'),
            dataIndex: 'time',
            render: (v?: string) => <DateTime iso={v} />,
          },
          {
            title: t('regulator.ledger.action'),
            dataIndex: 'action',
            render: (v?: string) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
          },
          {
            title: t('regulator.ledger.actorOrganisation'),
            key: 'actor',
            render: (_: unknown, row) => <OrganisationName id={row.actor?.organisationId} />,
          },
          {
            title: t('regulator.ledger.subject'),
            dataIndex: 'subjectIds',
            render: (ids?: string[]) => (ids?.length ? ids.map((id) => <ShortId key={id} id={id} />) : '—'),
          },
          {
            title: t('app.actions'),
            key: 'verify',
            render: (_: unknown, row) => (
              <Button
                loading={verify.running && verification === null}
                onClick={() => void verify.run(row)}
                aria-label={t('regulator.ledger.verifyEntry', { index: row.leafIndex })}
              >
                {t('regulator.ledger.verify')}
              </Button>
            ),
          },
        ]}
      />
      {verify.error && <Alert type="error" showIcon message={verify.error} />}
      {verification && <VerificationPanel v={verification} />}
    </Space>
  );
}

// Darker than Ant Design's green and red tags, for WCAG AA contrast (4.5:1).
const FAILED_TEXT = { color: '#a8071a' };

function VerificationPanel({ v }: { v: Verification }) {
  const { t } = useI18n();
  const label = useLabel();
  const allOk = v.checks.every((c) => c.ok);
  const root = decodeBase64(v.head.rootHash);
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {t('regulator.ledger.verificationTitle', { index: v.entry.leafIndex })}
        </Typography.Title>
      }
      data-testid="ledger-verification"
    >
      <div role="status" aria-live="polite">
        <Alert
          type={allOk ? 'success' : 'error'}
          showIcon
          message={allOk ? t('regulator.ledger.allPassed') : t('regulator.ledger.failed')}
          description={t('regulator.ledger.inBrowser')}
        />
      </div>
      <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('regulator.ledger.signer')}>
          <Typography.Text code>{v.key.signerAddress}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.ledger.hashAlgorithm')}>
          {v.key.hashAlgorithm === 'sm3' ? t('regulator.ledger.sm3') : t('regulator.ledger.sha256')}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.ledger.head')}>
          {t('regulator.ledger.headSize', { size: v.head.treeSize })} ·{' '}
          <DateTime iso={new Date(v.head.timestamp).toISOString()} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.ledger.headRoot')}>
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {root ? toHex(root) : v.head.rootHash}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.ledger.pathLength')}>
          {v.inclusionPath.length}
        </Descriptions.Item>
      </Descriptions>
      <ol style={{ marginTop: 16, paddingLeft: 20 }} aria-label={t('regulator.ledger.steps')}>
        {v.checks.map((check) => (
          <li
            key={check.name}
            data-testid={`ledger-check-${check.name}`}
            data-ok={check.ok}
            style={{ marginBottom: 12 }}
          >
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space>
                <strong>{label('check', check.name)}</strong>
                <ColourTag colour={check.ok ? 'green' : 'red'}>
                  {check.ok ? t('regulator.ledger.passed') : t('regulator.ledger.notPassed')}
                </ColourTag>
              </Space>
              <Typography.Text type="secondary">{label('checkHow', check.name)}</Typography.Text>
              {check.computed && (
                <span>
                  {t('regulator.ledger.computed')}:{' '}
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {check.computed}
                  </Typography.Text>
                </span>
              )}
              {check.expected && (
                <span>
                  {t('regulator.ledger.expected')}:{' '}
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {check.expected}
                  </Typography.Text>
                </span>
              )}
              {!check.ok && (
                <Typography.Text style={FAILED_TEXT}>
                  {label('checkFailed', check.name)}
                  {check.problem && (
                    <>
                      {' '}
                      (<span lang="en">{check.problem}</span>)
                    </>
                  )}
                </Typography.Text>
              )}
            </Space>
          </li>
        ))}
      </ol>
    </Card>
  );
}
