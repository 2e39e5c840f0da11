import { ASSESSOR_KINDS, RISK_EFFECTIVENESS } from '@app/oversight/core';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Select, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';

type Draft = Schemas['RiskReportDraftResponse'];
type Filing = Schemas['FileRiskReportDto'];
type Report = Schemas['RiskReportResponse'];

/**
 * The yearly risk assessment report of a holder of important or core data (DS 60, 63, 65): the draft the exchange
 * prefills from the organisation's DS 22 catalogue, completed and filed here; below, the reports filed (kept for
 * good, a correction supersedes one).
 */
export default function RiskReportPage() {
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [form] = Form.useForm<Filing>();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<Schemas['FiledRiskReportResponse'] | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  useEffect(() => {
    unwrap(api.GET('/v1/risk-reports/draft'))
      .then(setDraft)
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [t]);
  const file = useAction(async (v: Filing) => {
    const made = await unwrap(
      api.POST('/v1/risk-reports', {
        body: {
          ...v,
          assessorName: v.assessorKind === 'third-party' ? v.assessorName : null,
          assessorCreditCode: v.assessorKind === 'third-party' ? v.assessorCreditCode : null,
          risks: v.risks ?? [],
        },
      }),
    );
    setFiled(made);
    setReloadKey((k) => k + 1);
  }, t('security.risk.filed'));
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/risk-reports', { params: { query: { after, limit: 20 } } })),
    [],
  );
  const kind = Form.useWatch('assessorKind', form);
  const required = { required: true, whitespace: true, message: t('regulator.required') };
  const mayAct = session.canWrite('merchant') || session.canWrite('buyer');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('security.risk.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('security.risk.help')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      {!draft && !error && <Spin />}
      {draft && (
        <Alert
          type={draft.dueAt ? 'info' : 'success'}
          showIcon
          data-testid="risk-due"
          message={
            draft.dueAt ? (
              <>
                {t('security.risk.dueAt')} <DateTime iso={draft.dueAt} />
              </>
            ) : (
              (draft.note ?? t('security.risk.notRequired'))
            )
          }
          description={draft.advice ?? undefined}
        />
      )}
      {filed && (
        <Alert
          type="success"
          showIcon
          data-testid="risk-filed"
          message={t('security.risk.filedAs', {
            year: filed.periodYear,
            hash: filed.contentSha256.slice(0, 16),
          })}
          description={filed.advice ?? undefined}
        />
      )}
      {draft && mayAct && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('security.risk.form')}</h2>}>
          <Form<Filing>
            form={form}
            name="risk"
            layout="vertical"
            initialValues={{
              periodYear: draft.periodYear,
              assessorKind: draft.assessorKind ?? 'self',
              assessorName: draft.assessorName,
              assessorCreditCode: draft.assessorCreditCode,
              importantData: draft.importantData,
              processingActivities: draft.processingActivities,
              risks: draft.risks.length
                ? draft.risks
                : [{ risk: '', measure: '', effectiveness: 'effective' }],
              conclusion: draft.conclusion,
            }}
            // All stored values: the draft's lines carry their assetId, which no field shows.
            onFinish={() => void file.run(form.getFieldsValue(true) as Filing)}
          >
            <Space wrap align="start">
              <Form.Item name="periodYear" label={t('security.risk.year')} rules={[{ required: true }]}>
                <InputNumber min={2000} max={9999} />
              </Form.Item>
              <Form.Item name="assessorKind" label={t('security.risk.assessor')}>
                <Radio.Group
                  options={ASSESSOR_KINDS.map((k) => ({ value: k, label: label('assessorKind', k) }))}
                />
              </Form.Item>
            </Space>
            {kind === 'third-party' && (
              <Space wrap align="start">
                <Form.Item name="assessorName" label={t('security.risk.assessorName')} rules={[required]}>
                  <Input style={{ width: 320 }} />
                </Form.Item>
                <Form.Item
                  name="assessorCreditCode"
                  label={t('security.risk.assessorCreditCode')}
                  rules={[required, { len: 18, message: t('security.risk.creditCodeLength') }]}
                >
                  <Input style={{ width: 240 }} maxLength={18} />
                </Form.Item>
              </Space>
            )}
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              {t('security.risk.importantData')}
            </Typography.Title>
            <Form.List name="importantData">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} wrap align="start" style={{ display: 'flex' }}>
                      <Form.Item
                        name={[field.name, 'category']}
                        label={t('security.risk.category')}
                        rules={[required]}
                      >
                        <Input style={{ width: 280 }} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'level']}
                        label={t('security.risk.level')}
                        rules={[{ required: true }]}
                      >
                        <Select
                          style={{ width: 120 }}
                          options={(['important', 'core'] as const).map((l) => ({
                            value: l,
                            label: t(l === 'core' ? 'security.risk.core' : 'security.risk.important'),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'amount']}
                        label={t('security.risk.amount')}
                        rules={[required]}
                      >
                        <Input style={{ width: 180 }} />
                      </Form.Item>
                      <Button onClick={() => remove(field.name)} style={{ marginTop: 30 }}>
                        {t('security.risk.removeLine')}
                      </Button>
                    </Space>
                  ))}
                  <Button
                    onClick={() => add({ assetId: null, category: '', level: 'important', amount: '' })}
                  >
                    {t('security.risk.addData')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item
              name="processingActivities"
              label={t('security.risk.activities')}
              rules={[required]}
              style={{ marginTop: 16 }}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              {t('security.risk.risks')}
            </Typography.Title>
            <Form.List name="risks">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, i) => (
                    <Space key={field.key} wrap align="start" style={{ display: 'flex' }}>
                      <Form.Item
                        name={[field.name, 'risk']}
                        label={t('security.risk.risk', { n: i + 1 })}
                        rules={[required]}
                      >
                        <Input style={{ width: 280 }} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'measure']}
                        label={t('security.risk.measure')}
                        rules={[required]}
                      >
                        <Input style={{ width: 280 }} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'effectiveness']}
                        label={t('security.risk.effectiveness')}
                      >
                        <Select
                          style={{ width: 120 }}
                          options={RISK_EFFECTIVENESS.map((e) => ({
                            value: e,
                            label: label('effectiveness', e),
                          }))}
                        />
                      </Form.Item>
                      <Button onClick={() => remove(field.name)} style={{ marginTop: 30 }}>
                        {t('security.risk.removeLine')}
                      </Button>
                    </Space>
                  ))}
                  <div>
                    <Button onClick={() => add({ risk: '', measure: '', effectiveness: 'effective' })}>
                      {t('security.risk.addRisk')}
                    </Button>
                  </div>
                </>
              )}
            </Form.List>
            <Form.Item
              name="conclusion"
              label={t('security.risk.conclusion')}
              rules={[required]}
              style={{ marginTop: 16 }}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={file.running}>
              {t('security.risk.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('security.risk.mine')}
      </Typography.Title>
      <PagedTable<Report>
        load={load}
        reloadKey={reloadKey}
        rowKey="id"
        columns={[
          { title: t('security.risk.year'), dataIndex: 'periodYear' },
          {
            title: t('security.risk.filedAt'),
            dataIndex: 'filedAt',
            render: (v: string) => <DateTime iso={v} />,
          },
          {
            title: t('security.risk.assessor'),
            dataIndex: 'assessorKind',
            render: (v: string) => label('assessorKind', v),
          },
          {
            title: t('security.risk.hash'),
            dataIndex: 'contentSha256',
            render: (v: string) => <ShortId id={v} />,
          },
          {
            title: t('security.risk.supersededBy'),
            dataIndex: 'supersededBy',
            render: (v: string | null) => (v ? <ShortId id={v} /> : '—'),
          },
          {
            title: t('security.risk.retainUntil'),
            dataIndex: 'retainUntil',
            render: (v: string) => <DateTime iso={v} />,
          },
        ]}
      />
    </Space>
  );
}
