import { COMPLAINT_CATEGORIES, COMPLAINT_STATES } from '@app/oversight/core';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { PageTitle, OrganisationName } from './common';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';

type Complaint = Schemas['ComplaintResponse'];
type State = Complaint['state'];
type Category = Complaint['category'];

export default function ComplaintsPage() {
  const { t } = useI18n();
  const label = useLabel();
  const [state, setState] = useState<State | undefined>();
  const [category, setCategory] = useState<Category | undefined>();
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/complaints', { params: { query: { after, limit: 20, state, category } } })),
    [state, category],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <PageTitle>{t('regulator.complaints.title')}</PageTitle>
      <Form layout="inline">
        <Form.Item label={t('regulator.col.state')} htmlFor="complaint-state">
          <Select<State>
            id="complaint-state"
            allowClear
            placeholder={t('regulator.filter.all')}
            style={{ width: 140 }}
            value={state}
            onChange={setState}
            options={COMPLAINT_STATES.map((s) => ({ value: s, label: label('complaintState', s) }))}
          />
        </Form.Item>
        <Form.Item label={t('regulator.complaints.category')} htmlFor="complaint-category">
          <Select<Category>
            id="complaint-category"
            allowClear
            placeholder={t('regulator.filter.all')}
            style={{ width: 200 }}
            value={category}
            onChange={setCategory}
            options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: label('category', c) }))}
          />
        </Form.Item>
      </Form>
      <PagedTable<Complaint>
        load={load}
        rowKey="id"
        columns={[
          {
            title: t('regulator.complaints.category'),
            dataIndex: 'category',
            render: (v: string, row) => (
              <Link to={`/regulator/complaints/${row.id}`}>{label('category', v)}</Link>
            ),
          },
          {
            title: t('regulator.complaints.statement'),
            dataIndex: 'statement',
            render: (v: string) => (
              <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 320 }}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('regulator.complaints.subject'),
            dataIndex: 'subjectKind',
            render: (v: string | null, row) =>
              v ? (
                <>
                  {label('subjectKind', v)} <ShortId id={row.subjectId} />
                </>
              ) : (
                '—'
              ),
          },
          {
            title: t('regulator.col.state'),
            dataIndex: 'state',
            render: (v: string, row) => (
              <Space size={4}>
                <Tag>{label('complaintState', v)}</Tag>
                {row.outcome && (
                  <ColourTag colour={row.outcome === 'upheld' ? 'red' : 'grey'}>
                    {label('complaintOutcome', row.outcome)}
                  </ColourTag>
                )}
              </Space>
            ),
          },
          {
            title: t('regulator.complaints.filedAt'),
            dataIndex: 'createdAt',
            render: (v: string) => <DateTime iso={v} />,
          },
        ]}
      />
    </Space>
  );
}

interface DecisionForm {
  outcome: 'upheld' | 'dismissed';
  reason: string;
  publicNote?: string;
  suspend?: boolean;
}

export function ComplaintDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [complaint, setComplaint] = useState<Complaint | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/v1/complaints/{id}', { params: { path: { id } } }))
      .then(setComplaint)
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [id, t]);
  const note = (text?: string): Schemas['ComplaintNoteDto'] => ({
    publicNote: text?.trim() ? text.trim() : null,
  });
  const triage = useAction(async (text?: string) =>
    setComplaint(
      await unwrap(api.POST('/v1/complaints/{id}/triage', { params: { path: { id } }, body: note(text) })),
    ),
  );
  const investigate = useAction(async (text?: string) =>
    setComplaint(
      await unwrap(
        api.POST('/v1/complaints/{id}/investigation', { params: { path: { id } }, body: note(text) }),
      ),
    ),
  );
  const decide = useAction(async (v: DecisionForm) =>
    setComplaint(
      await unwrap(
        api.POST('/v1/complaints/{id}/decision', {
          params: { path: { id } },
          body: { outcome: v.outcome, reason: v.reason, suspend: v.suspend ?? false, ...note(v.publicNote) },
        }),
      ),
    ),
  );
  const [publicNote, setPublicNote] = useState('');

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!complaint) return <Spin />;
  const mayHandle = session.canWrite('regulator') || session.canWrite('operator');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Link to="/regulator/complaints">{t('regulator.backToList')}</Link>
      <PageTitle>
        {t('regulator.complaints.detailTitle', { category: label('category', complaint.category) })}
      </PageTitle>
      <Space>
        <Tag>{label('complaintState', complaint.state)}</Tag>
        {complaint.outcome && (
          <ColourTag colour="blue">{label('complaintOutcome', complaint.outcome)}</ColourTag>
        )}
      </Space>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('regulator.complaints.statement')} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{complaint.statement}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.subject')}>
          {complaint.subjectKind ? label('subjectKind', complaint.subjectKind) : '—'}{' '}
          <ShortId id={complaint.subjectId} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.reportedOrganisation')}>
          <OrganisationName id={complaint.reportedOrganisationId} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.reporter')}>
          {complaint.reporterOrganisationId ? (
            <OrganisationName id={complaint.reporterOrganisationId} />
          ) : (
            t('regulator.complaints.anonymous')
          )}
          {complaint.reporterContact && ` · ${complaint.reporterContact}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.filedAt')}>
          <DateTime iso={complaint.createdAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.evidence')} span={2}>
          {complaint.evidenceHashes.length
            ? complaint.evidenceHashes.map((h) => (
                <div key={h}>
                  <Typography.Text code>{h}</Typography.Text>
                </div>
              ))
            : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.publicNote')} span={2}>
          {complaint.publicNote ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.decisionReason')} span={2}>
          {complaint.decisionReason ?? '—'} {complaint.decidedAt && <DateTime iso={complaint.decidedAt} />}
        </Descriptions.Item>
        <Descriptions.Item label={t('regulator.complaints.suspension')} span={2}>
          {complaint.suspension ? (
            <>
              {label('subjectKind', complaint.suspension.kind)} <ShortId id={complaint.suspension.id} />
            </>
          ) : (
            '—'
          )}
        </Descriptions.Item>
      </Descriptions>

      {mayHandle && (complaint.state === 'received' || complaint.state === 'triaged') && (
        <Card size="small" title={t('regulator.complaints.handle')}>
          <Form layout="vertical">
            <Form.Item label={t('regulator.complaints.handleNote')} htmlFor="complaint-note">
              <Input.TextArea
                id="complaint-note"
                rows={2}
                value={publicNote}
                onChange={(e) => setPublicNote(e.target.value)}
              />
            </Form.Item>
            <Space>
              {complaint.state === 'received' && (
                <Button loading={triage.running} onClick={() => void triage.run(publicNote)}>
                  {t('regulator.complaints.triage')}
                </Button>
              )}
              <Button loading={investigate.running} onClick={() => void investigate.run(publicNote)}>
                {t('regulator.complaints.investigate')}
              </Button>
            </Space>
          </Form>
        </Card>
      )}
      {mayHandle && complaint.state !== 'decided' && (
        <Card size="small" title={t('regulator.complaints.decide')}>
          <Form<DecisionForm>
            name="complaint-decision"
            layout="vertical"
            initialValues={{ outcome: 'upheld', suspend: false }}
            onFinish={(v) => void decide.run(v)}
          >
            <Form.Item name="outcome" label={t('regulator.complaints.outcome')}>
              <Radio.Group
                options={(['upheld', 'dismissed'] as const).map((o) => ({
                  value: o,
                  label: label('complaintOutcome', o),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('regulator.complaints.decisionReason')}
              rules={[{ required: true, whitespace: true, message: t('regulator.required') }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="publicNote" label={t('regulator.complaints.publicNoteOptional')}>
              <Input.TextArea rows={2} />
            </Form.Item>
            {complaint.subjectKind && (
              <Form.Item name="suspend" valuePropName="checked">
                <Checkbox>{t('regulator.complaints.suspend')}</Checkbox>
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={decide.running}>
              {t('regulator.complaints.decide')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
