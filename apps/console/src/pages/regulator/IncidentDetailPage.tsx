import { Alert, Button, Card, Descriptions, Form, Input, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { PageTitle, OrganisationName } from './common';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';

type Incident = Schemas['IncidentResponse'];

export default function IncidentDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [incident, setIncident] = useState<Incident | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    unwrap(api.GET('/v1/incidents/{id}', { params: { path: { id } } }))
      .then(setIncident)
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [id, t]);
  useEffect(reload, [reload]);

  const acknowledge = useAction(async () => {
    setIncident(await unwrap(api.POST('/v1/incidents/{id}/acknowledgement', { params: { path: { id } } })));
  }, t('regulator.incidents.acknowledged'));
  const contain = useAction(async (note: string) => {
    setIncident(
      await unwrap(api.POST('/v1/incidents/{id}/containment', { params: { path: { id } }, body: { note } })),
    );
  });
  const close = useAction(async (summary: string) => {
    setIncident(
      await unwrap(api.POST('/v1/incidents/{id}/closure', { params: { path: { id } }, body: { summary } })),
    );
  });

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!incident) return <Spin />;
  // Acknowledgement: regulator or operator. Containment and closure: the reporter or the operator (not a regulator).
  const mayAcknowledge = session.canWrite('regulator') || session.canWrite('operator');
  const operator = session.canWrite('operator');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Link to="/regulator/incidents">{t('regulator.backToList')}</Link>
      <PageTitle>{t('regulator.incidents.detailTitle', { title: incident.title })}</PageTitle>
      <Space>
        <ColourTag colour="blue">{label('incidentLevel', incident.level)}</ColourTag>
        <Tag>{label('incidentState', incident.state)}</Tag>
        {incident.overdue && <ColourTag colour="red">{t('regulator.incidents.overdue')}</ColourTag>}
        {incident.late && <ColourTag colour="red">{t('regulator.incidents.late')}</ColourTag>}
      </Space>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('regulator.col.organisation')}>
          <OrganisationName id={incident.reportedByOrganisationId} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.occurredAt')}>
          <DateTime iso={incident.occurredAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.description')} span={2}>
          {incident.description}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.importance')}>
          {label('importance', incident.importance)} ({label('importanceSource', incident.importanceSource)})
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.harm')}>
          {t('regulator.incidents.businessLoss')}: {label('harm', incident.businessLoss)}；
          {t('regulator.incidents.socialHarm')}: {label('harm', incident.socialHarm)}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.levelJustification')} span={2}>
          {incident.levelJustification}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.measures')} span={2}>
          {incident.measures}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.regulatorNotified')}>
          {incident.regulatorNotified ? t('app.yes') : t('app.no')}{' '}
          <DateTime iso={incident.regulatorNotifiedAt} />
          {incident.regulatorArticles.length > 0 && ` (${incident.regulatorArticles.join(', ')})`}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.reportedAt')}>
          <DateTime iso={incident.reportedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.acknowledgedAt')}>
          <DateTime iso={incident.acknowledgedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.containedAt')}>
          <DateTime iso={incident.containedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.summaryDueAt')}>
          <DateTime iso={incident.summaryDueAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.closedAt')}>
          <DateTime iso={incident.closedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.incidents.summary')} span={2}>
          {incident.summary ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      <NotifiedParties id={incident.id} />

      {incident.state === 'reported' && mayAcknowledge && (
        <Button type="primary" loading={acknowledge.running} onClick={() => void acknowledge.run()}>
          {t('regulator.incidents.acknowledge')}
        </Button>
      )}
      {operator && incident.state === 'acknowledged' && (
        <NoteForm
          title={t('regulator.incidents.contain')}
          field={t('regulator.incidents.containmentNote')}
          running={contain.running}
          onSubmit={(note) => void contain.run(note)}
        />
      )}
      {operator && (incident.state === 'acknowledged' || incident.state === 'contained') && (
        <NoteForm
          title={t('regulator.incidents.close')}
          field={t('regulator.incidents.summary')}
          running={close.running}
          onSubmit={(summary) => void close.run(summary)}
        />
      )}
      {!operator && incident.state !== 'closed' && (
        <Typography.Paragraph type="secondary">{t('regulator.incidents.handlerNote')}</Typography.Paragraph>
      )}
    </Space>
  );
}

function NoteForm({
  title,
  field,
  running,
  onSubmit,
}: {
  title: string;
  field: string;
  running: boolean;
  onSubmit: (text: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Card title={title} size="small">
      <Form layout="vertical" onFinish={(v: { text: string }) => onSubmit(v.text)}>
        <Form.Item name="text" label={field} rules={[{ required: true, message: t('regulator.required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button htmlType="submit" loading={running}>
          {title}
        </Button>
      </Form>
    </Card>
  );
}

type Receipt = Schemas['IncidentNoticeReceiptResponse'];

/** Who was told of the incident (DS 16) and who confirmed reading: the overseers' view of the notification. */
function NotifiedParties({ id }: { id: string }) {
  const { t } = useI18n();
  const [receipts, setReceipts] = useState<Receipt[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/v1/incidents/{id}/notices', { params: { path: { id } } }))
      .then((page) => setReceipts(page.items))
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [id, t]);
  return (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('regulator.incidents.notified')}</h2>}
    >
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : (
        <Table<Receipt>
          size="small"
          rowKey="organisationId"
          loading={receipts === null}
          dataSource={receipts ?? []}
          pagination={false}
          locale={{ emptyText: t('regulator.incidents.nobodyNotified') }}
          columns={[
            {
              title: t('regulator.col.organisation'),
              dataIndex: 'organisationName',
              render: (name: string, r) => (
                <>
                  {name} <ShortId id={r.organisationId} />
                </>
              ),
            },
            {
              title: t('regulator.incidents.noticeContractsColumn'),
              dataIndex: 'contractIds',
              render: (ids: string[]) =>
                ids.length
                  ? ids.map((c) => <ShortId key={c} id={c} />)
                  : t('regulator.incidents.rightsHolder'),
            },
            {
              title: t('regulator.incidents.notifiedAt'),
              dataIndex: 'notifiedAt',
              render: (v: string) => <DateTime iso={v} />,
            },
            {
              title: t('regulator.incidents.readAt'),
              dataIndex: 'readAt',
              render: (v: string | null) => (v ? <DateTime iso={v} /> : t('regulator.incidents.notRead')),
            },
          ]}
        />
      )}
    </Card>
  );
}
