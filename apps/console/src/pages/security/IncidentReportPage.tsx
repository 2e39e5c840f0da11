import {
  gradeIncident,
  INCIDENT_IMPORTANCES,
  INCIDENT_SEVERITIES,
  type IncidentImportance,
  type IncidentSeverity,
} from '@app/compliance';
import { Alert, Button, Card, DatePicker, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useLabel } from '../../components/useLabel';

type Incident = Schemas['IncidentResponse'];
type Asset = Schemas['AssetListResponse']['assets'][number];

interface ReportForm {
  title: string;
  description: string;
  /** The DatePicker's value (a Dayjs). */
  occurredAt: { toISOString(): string };
  affectedAssetIds?: string[];
  importance?: IncidentImportance;
  businessLoss: IncidentSeverity;
  socialHarm: IncidentSeverity;
  measures: string;
}

/** An asset's data level as the importance of an incident's object (DS 12): core data is especially important. */
const IMPORTANCE_OF: Record<Asset['level'], IncidentImportance> = {
  core: 'especially-important',
  important: 'important',
  general: 'general',
};

/**
 * A party reports a security incident (DS 15, 16): the level is graded as the form is filled by DS 12 表2/表3 with
 * the same `@app/compliance` function the API runs, from the affected assets' importance (or a declared one); below,
 * the incidents the organisation reported and their state.
 */
export default function IncidentReportPage() {
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [form] = Form.useForm<ReportForm>();
  const [assets, setAssets] = useState<Asset[]>([]);
  const [reportedNow, setReportedNow] = useState<Incident | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  useEffect(() => {
    if (!session.principal?.roles.includes('merchant')) return;
    unwrap(api.GET('/v1/assets'))
      .then((r) => setAssets(r.assets.filter((a) => a.status !== 'draft' && a.status !== 'destroyed')))
      .catch(() => setAssets([]));
  }, [session.principal]);

  const values = Form.useWatch([], form) as Partial<ReportForm> | undefined;
  const fromAssets = (values?.affectedAssetIds ?? [])
    .map((id) => assets.find((a) => a.id === id))
    .filter((a): a is Asset => a !== undefined)
    .map((a) => IMPORTANCE_OF[a.level]);
  const importance: IncidentImportance =
    [values?.importance, ...fromAssets]
      .filter((i): i is IncidentImportance => i !== undefined)
      .sort((x, y) => INCIDENT_IMPORTANCES.indexOf(x) - INCIDENT_IMPORTANCES.indexOf(y))[0] ?? 'general';
  const grading =
    values?.businessLoss && values.socialHarm
      ? gradeIncident(importance, values.businessLoss, values.socialHarm)
      : null;

  const report = useAction(async (v: ReportForm) => {
    const made = await unwrap(
      api.POST('/v1/incidents', {
        body: {
          title: v.title.trim(),
          description: v.description.trim(),
          occurredAt: v.occurredAt.toISOString(),
          affectedAssetIds: v.affectedAssetIds ?? [],
          ...(v.importance ? { importance: v.importance } : {}),
          businessLoss: v.businessLoss,
          socialHarm: v.socialHarm,
          measures: v.measures.trim(),
        },
      }),
    );
    setReportedNow(made);
    form.resetFields();
    setReloadKey((k) => k + 1);
  }, t('security.incident.reported'));
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/incidents', { params: { query: { after, limit: 20 } } })),
    [],
  );
  const required = { required: true, whitespace: true, message: t('regulator.required') };
  const severities = INCIDENT_SEVERITIES.map((s) => ({ value: s, label: label('harm', s) }));
  const mayAct = session.canWrite('merchant') || session.canWrite('buyer');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('security.incident.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('security.incident.help')}</Typography.Paragraph>
      {reportedNow && (
        <Alert
          type="success"
          showIcon
          data-testid="incident-reported"
          message={t('security.incident.reportedAs', {
            title: reportedNow.title,
            level: label('incidentLevel', reportedNow.level),
          })}
          description={
            reportedNow.regulatorNotified
              ? t('security.incident.sentToRegulators', {
                  articles: reportedNow.regulatorArticles.join('、'),
                })
              : t('security.incident.notSentToRegulators')
          }
        />
      )}
      {mayAct && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('security.incident.form')}</h2>}>
          <Form<ReportForm>
            form={form}
            layout="vertical"
            name="incident"
            onFinish={(v) => void report.run(v)}
          >
            <Form.Item name="title" label={t('security.incident.name')} rules={[required, { max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="description" label={t('security.incident.description')} rules={[required]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item
              name="occurredAt"
              label={t('security.incident.occurredAt')}
              rules={[{ required: true, message: t('regulator.required') }]}
            >
              <DatePicker showTime />
            </Form.Item>
            {assets.length > 0 && (
              <Form.Item name="affectedAssetIds" label={t('security.incident.assets')}>
                <Select
                  mode="multiple"
                  options={assets.map((a) => ({ value: a.id, label: a.title }))}
                  optionFilterProp="label"
                />
              </Form.Item>
            )}
            <Form.Item
              name="importance"
              label={t('security.incident.importance')}
              extra={t('security.incident.importanceHelp')}
            >
              <Select
                allowClear
                options={INCIDENT_IMPORTANCES.map((i) => ({ value: i, label: label('importance', i) }))}
              />
            </Form.Item>
            <Form.Item
              name="businessLoss"
              label={t('security.incident.businessLoss')}
              rules={[{ required: true, message: t('regulator.required') }]}
            >
              <Radio.Group options={severities} />
            </Form.Item>
            <Form.Item
              name="socialHarm"
              label={t('security.incident.socialHarm')}
              rules={[{ required: true, message: t('regulator.required') }]}
            >
              <Radio.Group options={severities} />
            </Form.Item>
            {grading && (
              <Alert
                data-testid="incident-grading"
                type={grading.ok ? 'info' : 'error'}
                showIcon
                style={{ marginBottom: 16 }}
                message={
                  grading.ok
                    ? t('security.incident.grading', {
                        level: label('incidentLevel', grading.level),
                        importance: label('importance', importance),
                      })
                    : t('security.incident.impossible')
                }
              />
            )}
            <Form.Item name="measures" label={t('security.incident.measures')} rules={[required]}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              loading={report.running}
              disabled={grading?.ok === false}
            >
              {t('security.incident.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('security.incident.mine')}
      </Typography.Title>
      <PagedTable<Incident>
        load={load}
        reloadKey={reloadKey}
        rowKey="id"
        columns={[
          { title: t('security.notices.incident'), dataIndex: 'title' },
          {
            title: t('regulator.col.level'),
            dataIndex: 'level',
            render: (v: number) => label('incidentLevel', v),
          },
          {
            title: t('regulator.col.state'),
            dataIndex: 'state',
            render: (v: string) => label('incidentState', v),
          },
          {
            title: t('security.incident.regulators'),
            dataIndex: 'regulatorArticles',
            render: (a: string[]) => (a.length ? a.join('、') : '—'),
          },
          {
            title: t('security.incident.reportedAt'),
            dataIndex: 'reportedAt',
            render: (v: string) => <DateTime iso={v} />,
          },
          {
            title: t('security.incident.summaryDueAt'),
            dataIndex: 'summaryDueAt',
            render: (v: string | null) => (v ? <DateTime iso={v} /> : '—'),
          },
        ]}
      />
    </Space>
  );
}
