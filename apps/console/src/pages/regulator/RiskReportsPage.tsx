import { Alert, Button, Form, Input, InputNumber, Space, Spin, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { PagedTable } from '../../components/PagedTable';
import { useI18n } from '../../i18n/i18n';
import { PageTitle, OrganisationName } from './common';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';
import { OverdueHoldersTable } from './SupervisionPage';

type Report = Schemas['RiskReportResponse'];

export default function RiskReportsPage() {
  const { t } = useI18n();
  const label = useLabel();
  const [filter, setFilter] = useState<{ organisationId?: string; year?: number }>({});
  const [overdue, setOverdue] = useState<Schemas['OverdueHolderResponse'][] | null>(null);
  const [overdueError, setOverdueError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/v1/risk-reports/overdue'))
      .then((r) => setOverdue(r.items))
      .catch((e: unknown) => setOverdueError(describeError(e, t)));
  }, [t]);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/risk-reports', { params: { query: { after, limit: 20, ...filter } } })),
    [filter],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <PageTitle>{t('regulator.riskReports.title')}</PageTitle>
      <section aria-labelledby="overdue-holders">
        <Typography.Title level={2} style={{ fontSize: 18 }} id="overdue-holders">
          {t('regulator.riskReports.overdueTitle')}
        </Typography.Title>
        {overdueError ? (
          <Alert type="error" showIcon message={overdueError} />
        ) : overdue ? (
          <OverdueHoldersTable items={overdue} />
        ) : (
          <Spin />
        )}
      </section>
      <section aria-labelledby="filed-reports">
        <Typography.Title level={2} style={{ fontSize: 18 }} id="filed-reports">
          {t('regulator.riskReports.filedTitle')}
        </Typography.Title>
        <Form
          layout="inline"
          style={{ marginBottom: 12 }}
          onFinish={(v: { organisationId?: string; year?: number | null }) =>
            setFilter({ organisationId: v.organisationId?.trim() || undefined, year: v.year ?? undefined })
          }
        >
          <Form.Item name="organisationId" label={t('regulator.col.organisationId')}>
            <Input style={{ width: 320 }} />
          </Form.Item>
          <Form.Item name="year" label={t('regulator.riskReports.year')}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Button htmlType="submit">{t('regulator.filter.apply')}</Button>
        </Form>
        <PagedTable<Report>
          load={load}
          rowKey="id"
          columns={[
            {
              title: t('regulator.riskReports.year'),
              dataIndex: 'periodYear',
              render: (year: number, row) => <Link to={`/regulator/risk-reports/${row.id}`}>{year}</Link>,
            },
            {
              title: t('regulator.col.organisation'),
              dataIndex: 'organisationId',
              render: (v: string) => <OrganisationName id={v} />,
            },
            {
              title: t('regulator.riskReports.assessor'),
              dataIndex: 'assessorKind',
              render: (v: string, row) =>
                `${label('assessorKind', v)}${row.assessorName ? ` · ${row.assessorName}` : ''}`,
            },
            {
              title: t('regulator.riskReports.filedAt'),
              dataIndex: 'filedAt',
              render: (v: string) => <DateTime iso={v} />,
            },
            {
              title: t('regulator.riskReports.superseded'),
              dataIndex: 'supersedesId',
              render: (v: string | null) => (v ? t('regulator.riskReports.correction') : '—'),
            },
          ]}
        />
      </section>
    </Space>
  );
}

export function RiskReportDetailPage() {
  const { t } = useI18n();
  const label = useLabel();
  const { id = '' } = useParams();
  const [report, setReport] = useState<Schemas['RiskReportDetailResponse'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/v1/risk-reports/{id}', { params: { path: { id } } }))
      .then(setReport)
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [id, t]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!report) return <Spin />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Link to="/regulator/risk-reports">{t('regulator.backToList')}</Link>
      <PageTitle>{t('regulator.riskReports.detailTitle', { year: report.periodYear })}</PageTitle>
      <Typography.Paragraph>
        {t('regulator.col.organisation')}: <OrganisationName id={report.organisationId} />
        {' · '}
        {t('regulator.riskReports.filedAt')}: <DateTime iso={report.filedAt} />
        {' · '}
        {t('regulator.riskReports.retainUntil')}: <DateTime iso={report.retainUntil} dateOnly />
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t('regulator.riskReports.assessor')}: {label('assessorKind', report.assessorKind)}
        {report.assessorName && ` · ${report.assessorName}`}
        {report.assessorCreditCode && ` (${report.assessorCreditCode})`}
      </Typography.Paragraph>
      {report.supersededBy && (
        <Alert
          type="info"
          showIcon
          message={
            <Link to={`/regulator/risk-reports/${report.supersededBy}`}>
              {t('regulator.riskReports.supersededBy')}
            </Link>
          }
        />
      )}
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('regulator.riskReports.importantData')}
      </Typography.Title>
      <Table<Schemas['ImportantDataLineResponse']>
        size="small"
        rowKey={(r) => `${r.assetId}/${r.category}`}
        dataSource={report.importantData}
        pagination={false}
        locale={{ emptyText: t('app.empty') }}
        columns={[
          { title: t('regulator.riskReports.category'), dataIndex: 'category' },
          { title: t('regulator.col.level'), dataIndex: 'level', render: (v: string) => label('level', v) },
          { title: t('regulator.riskReports.amount'), dataIndex: 'amount' },
          {
            title: t('regulator.supervision.col.asset'),
            dataIndex: 'assetId',
            render: (v: string | null) => <ShortId id={v} />,
          },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('regulator.riskReports.processing')}
      </Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
        {report.processingActivities}
      </Typography.Paragraph>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('regulator.riskReports.risks')}
      </Typography.Title>
      <Table<Schemas['RiskLineResponse']>
        size="small"
        rowKey={(r) => r.risk}
        dataSource={report.risks}
        pagination={false}
        locale={{ emptyText: t('app.empty') }}
        columns={[
          { title: t('regulator.riskReports.risk'), dataIndex: 'risk' },
          { title: t('regulator.riskReports.measure'), dataIndex: 'measure' },
          {
            title: t('regulator.riskReports.effectiveness'),
            dataIndex: 'effectiveness',
            render: (v: string) => label('effectiveness', v),
          },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('regulator.riskReports.conclusion')}
      </Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{report.conclusion}</Typography.Paragraph>
      <Typography.Text type="secondary">
        {t('regulator.riskReports.contentSha256')}:{' '}
        <Typography.Text code>{report.contentSha256}</Typography.Text>
      </Typography.Text>
    </Space>
  );
}
