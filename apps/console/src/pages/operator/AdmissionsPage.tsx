import { Button, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ReasonDialog } from './ReasonDialog';

type Organisation = Schemas['OrganisationResponse'];
type Status = Organisation['status'];
type Decision = Schemas['AdmissionDto']['decision'];

/** What each status allows: admit or reject a pending party, suspend an admitted one, reinstate a suspended one. */
export const DECISIONS_BY_STATUS: Record<Status, Decision[]> = {
  pending: ['admit', 'reject'],
  admitted: ['suspend'],
  suspended: ['reinstate'],
  rejected: [],
};
const NEEDS_REASON: Decision[] = ['reject', 'suspend'];

/** Admission of signed-up parties, by status (pending first). */
export function OrganisationsTable({ initialStatus }: { initialStatus: Status }) {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [status, setStatus] = useState<Status>(initialStatus);
  const [reloadKey, setReloadKey] = useState(0);
  const [asking, setAsking] = useState<{ organisation: Organisation; decision: Decision } | null>(null);
  const load = useCallback(async () => {
    const { organisations } = await unwrap(api.GET('/v1/organisations', { params: { query: { status } } }));
    return onePage(organisations);
  }, [status]);
  const decide = useAction(async (id: string, decision: Decision, reason?: string) => {
    await unwrap(
      api.POST('/v1/organisations/{id}/admission', {
        params: { path: { id } },
        body: { decision, ...(reason ? { reason } : {}) },
      }),
    );
    setAsking(null);
    setReloadKey((k) => k + 1);
  });
  const canWrite = session.canWrite('operator');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <label htmlFor="admission-status">{t('operator.status')}</label>
        <Select<Status>
          id="admission-status"
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={(['pending', 'admitted', 'suspended', 'rejected'] as const).map((s) => ({
            value: s,
            label: tDynamic(`operator.orgStatus.${s}`),
          }))}
        />
      </Space>
      <PagedTable<Organisation>
        rowKey="id"
        load={load}
        reloadKey={reloadKey}
        columns={[
          { title: t('operator.org.name'), dataIndex: 'name' },
          {
            title: t('operator.org.kind'),
            dataIndex: 'kind',
            render: (k: string) => tDynamic(`operator.orgKind.${k}`),
          },
          {
            title: t('operator.org.identifier'),
            dataIndex: 'identifier',
            render: (v: string) => <code>{v}</code>,
          },
          {
            title: t('operator.org.roles'),
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{tDynamic(`role.${r}`)}</Tag>),
          },
          { title: t('operator.org.registeredIn'), dataIndex: 'registeredIn' },
          {
            title: t('operator.status'),
            dataIndex: 'status',
            render: (s: string, o: Organisation) => (
              <span title={o.statusReason ?? undefined}>{tDynamic(`operator.orgStatus.${s}`)}</span>
            ),
          },
          {
            title: t('operator.createdAt'),
            dataIndex: 'createdAt',
            render: (iso: string) => <DateTime iso={iso} />,
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, o: Organisation) =>
              // The API refuses decisions on the operator's own organisation and on regulator bodies (docs/identity.md).
              canWrite &&
              o.id !== session.principal?.organisationId &&
              !o.roles.includes('regulator') && (
                <Space wrap>
                  {DECISIONS_BY_STATUS[o.status].map((d) => (
                    <Button
                      key={d}
                      size="small"
                      type={d === 'admit' || d === 'reinstate' ? 'primary' : 'default'}
                      onClick={() => setAsking({ organisation: o, decision: d })}
                    >
                      {tDynamic(`operator.admission.${d}`)}
                    </Button>
                  ))}
                </Space>
              ),
          },
        ]}
      />
      <ReasonDialog
        title={
          asking
            ? t('operator.admission.confirm', {
                action: tDynamic(`operator.admission.${asking.decision}`),
                name: asking.organisation.name,
              })
            : null
        }
        okText={asking ? tDynamic(`operator.admission.${asking.decision}`) : ''}
        required={asking ? NEEDS_REASON.includes(asking.decision) : false}
        running={decide.running}
        onCancel={() => setAsking(null)}
        onOk={(reason) => asking && void decide.run(asking.organisation.id, asking.decision, reason)}
      />
    </Space>
  );
}

/** The admission queue: parties waiting for the operator's decision. */
export default function AdmissionsPage() {
  const { t } = useI18n();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('operator.admissions.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('operator.admissions.intro')}</Typography.Paragraph>
      <OrganisationsTable initialStatus="pending" />
    </>
  );
}
