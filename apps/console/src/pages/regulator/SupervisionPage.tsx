import { Alert, Card, Descriptions, Flex, Form, Select, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { describeError } from '../../components/errors';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';
import { Chart, chartSummary, pivot, type BarSeries } from './Chart';
import { CsvButton, PageTitle, OrganisationName } from './common';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';

type Period = 'day' | 'month' | 'year';

/** One figure: its title, CSV export, chart and the table that is the chart's text alternative. */
function Figure({
  id,
  title,
  csvPath,
  chart,
  children,
}: {
  id: string;
  title: MessageKey;
  csvPath: string;
  chart?: { categories: string[]; series: BarSeries[]; stacked?: boolean; horizontal?: boolean };
  children: ReactNode;
}) {
  const { t, language } = useI18n();
  const heading = t(title);
  return (
    <Card
      id={`figure-${id}`}
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {heading}
        </Typography.Title>
      }
      extra={
        <CsvButton
          path={csvPath}
          filename={`supervision-${id}.csv`}
          label={t('regulator.supervision.csvOf', { figure: heading })}
        />
      }
    >
      {chart && (
        <Chart
          label={chartSummary(heading, chart.categories, chart.series, language === 'zh' ? '：' : ': ')}
          categories={chart.categories}
          series={chart.series}
          stacked={chart.stacked}
          horizontal={chart.horizontal}
        />
      )}
      <div style={{ marginTop: 12 }}>{children}</div>
    </Card>
  );
}

/** Loads one figure (JSON) and reloads it when `key` changes. */
function useFigure<T>(load: () => Promise<T>, key: unknown[]) {
  const { t } = useI18n();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    load()
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(describeError(e, t)));
    return () => {
      live = false;
    };
  }, key);
  return { data, error };
}

function Loading({ error }: { error: string | null }) {
  return error ? <Alert type="error" showIcon message={error} /> : <Spin />;
}

export default function SupervisionPage() {
  const { t } = useI18n();
  const label = useLabel();
  const [period, setPeriod] = useState<Period>('month');

  const trades = useFigure(
    () => unwrap(api.GET('/v1/supervision/trades', { params: { query: { period } } })),
    [period],
  );
  const listings = useFigure(() => unwrap(api.GET('/v1/supervision/listings')), []);
  const disputes = useFigure(() => unwrap(api.GET('/v1/supervision/disputes')), []);
  const incidents = useFigure(() => unwrap(api.GET('/v1/supervision/incidents')), []);
  const overdue = useFigure(() => unwrap(api.GET('/v1/supervision/overdue')), []);
  const suspensions = useFigure(() => unwrap(api.GET('/v1/supervision/suspensions')), []);
  const important = useFigure(() => unwrap(api.GET('/v1/supervision/important-data')), []);
  const epsilon = useFigure(() => unwrap(api.GET('/v1/supervision/epsilon')), []);

  const tradeChart = useMemo(() => {
    const rows = trades.data?.rows ?? [];
    return {
      ...pivot(
        rows,
        (r) => r.period,
        (r) => label('level', r.level),
        (r) => r.trades,
      ),
      stacked: true,
    };
  }, [trades.data, label]);
  const listingChart = useMemo(() => {
    const rows = listings.data?.rows ?? [];
    return {
      ...pivot(
        rows,
        (r) => label('listingStatus', r.status),
        (r) => label('level', r.level),
        (r) => r.listings,
      ),
      stacked: true,
    };
  }, [listings.data, label]);
  const disputeChart = useMemo(() => {
    const decided = disputes.data?.decided ?? [];
    return {
      categories: decided.map((d) => label('outcome', d.outcome)),
      series: [{ name: t('regulator.supervision.disputes.decided'), data: decided.map((d) => d.disputes) }],
    };
  }, [disputes.data, label, t]);
  const incidentChart = useMemo(() => {
    const rows = incidents.data?.rows ?? [];
    return {
      ...pivot(
        rows,
        (r) => label('incidentState', r.state),
        (r) => label('incidentLevel', r.level),
        (r) => r.incidents,
      ),
      stacked: true,
    };
  }, [incidents.data, label]);
  const overdueChart = useMemo(
    () => ({
      categories: overdue.data
        ? [t('regulator.supervision.overdue.summaries'), t('regulator.supervision.overdue.riskReports')]
        : [],
      series: [
        {
          name: t('regulator.supervision.count'),
          data: overdue.data ? [overdue.data.summaries.length, overdue.data.riskReports.length] : [],
        },
      ],
    }),
    [overdue.data, t],
  );
  const suspensionChart = useMemo(() => {
    const items = suspensions.data?.items ?? [];
    return pivot(
      items,
      (r) => label('suspensionKind', r.kind),
      () => t('regulator.supervision.count'),
      () => 1,
    );
  }, [suspensions.data, label, t]);
  const importantChart = useMemo(() => {
    const rows = (important.data?.organisations ?? []).flatMap((o) =>
      o.assets.map((a) => ({ org: o.organisationName, level: a.level })),
    );
    return {
      ...pivot(
        rows,
        (r) => r.org,
        (r) => label('level', r.level),
        () => 1,
      ),
      stacked: true,
      horizontal: true,
    };
  }, [important.data, label]);
  const epsilonChart = useMemo(() => {
    const rows = epsilon.data?.rows ?? [];
    return {
      categories: rows.map((r) => r.assetTitle),
      series: [
        { name: t('regulator.supervision.epsilon.spent'), data: rows.map((r) => r.epsilonSpentMilli / 1000) },
      ],
      horizontal: true,
    };
  }, [epsilon.data, t]);

  const countCol = (title: MessageKey, dataIndex: string) => ({
    title: t(title),
    dataIndex,
    align: 'right' as const,
  });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <PageTitle>{t('regulator.supervision.title')}</PageTitle>
      <Typography.Paragraph>{t('regulator.supervision.intro')}</Typography.Paragraph>

      <Figure
        id="trades"
        title="regulator.supervision.trades.title"
        csvPath={`/v1/supervision/trades?format=csv&period=${period}`}
        chart={tradeChart}
      >
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={t('regulator.supervision.period')} htmlFor="trades-period">
            <Select<Period>
              id="trades-period"
              value={period}
              onChange={setPeriod}
              style={{ width: 120 }}
              options={(['day', 'month', 'year'] as const).map((p) => ({
                value: p,
                label: label('period', p),
              }))}
            />
          </Form.Item>
        </Form>
        {trades.data ? (
          <>
            <Typography.Paragraph>
              {t('regulator.supervision.trades.window')} <DateTime iso={trades.data.from} /> —{' '}
              <DateTime iso={trades.data.to} />
              {' · '}
              {t('regulator.supervision.trades.totals', { trades: trades.data.totals.trades })}{' '}
              <Yuan fen={trades.data.totals.volumeFen} />
            </Typography.Paragraph>
            <Table<Schemas['TradeRowResponse']>
              size="small"
              rowKey={(r) => `${r.period}/${r.industry}/${r.level}`}
              dataSource={trades.data.rows}
              pagination={false}
              locale={{ emptyText: t('app.empty') }}
              columns={[
                { title: t('regulator.supervision.col.period'), dataIndex: 'period' },
                { title: t('regulator.supervision.col.industry'), dataIndex: 'industry' },
                {
                  title: t('regulator.col.level'),
                  dataIndex: 'level',
                  render: (v: string) => label('level', v),
                },
                countCol('regulator.supervision.col.trades', 'trades'),
                {
                  title: t('regulator.supervision.col.volume'),
                  dataIndex: 'volumeFen',
                  align: 'right',
                  render: (v: string) => <Yuan fen={v} />,
                },
              ]}
            />
          </>
        ) : (
          <Loading error={trades.error} />
        )}
      </Figure>

      <Figure
        id="listings"
        title="regulator.supervision.listings.title"
        csvPath="/v1/supervision/listings?format=csv"
        chart={listingChart}
      >
        {listings.data ? (
          <Table<Schemas['ListingCountResponse']>
            size="small"
            rowKey={(r) => `${r.level}/${r.pricingMode}/${r.status}`}
            dataSource={listings.data.rows}
            pagination={false}
            locale={{ emptyText: t('app.empty') }}
            columns={[
              {
                title: t('regulator.col.level'),
                dataIndex: 'level',
                render: (v: string) => label('level', v),
              },
              {
                title: t('regulator.supervision.col.pricingMode'),
                dataIndex: 'pricingMode',
                render: (v: string) => label('pricingMode', v),
              },
              {
                title: t('regulator.col.state'),
                dataIndex: 'status',
                render: (v: string) => label('listingStatus', v),
              },
              countCol('regulator.supervision.col.listings', 'listings'),
            ]}
          />
        ) : (
          <Loading error={listings.error} />
        )}
      </Figure>

      <Figure
        id="disputes"
        title="regulator.supervision.disputes.title"
        csvPath="/v1/supervision/disputes?format=csv"
        chart={disputeChart}
      >
        {disputes.data ? (
          <>
            <Descriptions size="small" column={3} bordered>
              <Descriptions.Item label={t('regulator.supervision.disputes.open')}>
                {disputes.data.open.count}
              </Descriptions.Item>
              <Descriptions.Item label={t('regulator.supervision.disputes.frozen')}>
                <Yuan fen={disputes.data.open.frozenFen} />
              </Descriptions.Item>
              <Descriptions.Item label={t('regulator.supervision.disputes.oldest')}>
                <DateTime iso={disputes.data.open.oldestOpenedAt} />
              </Descriptions.Item>
            </Descriptions>
            <Table<Schemas['DecidedDisputesResponse']>
              style={{ marginTop: 12 }}
              size="small"
              rowKey="outcome"
              dataSource={disputes.data.decided}
              pagination={false}
              locale={{ emptyText: t('app.empty') }}
              columns={[
                {
                  title: t('regulator.supervision.col.outcome'),
                  dataIndex: 'outcome',
                  render: (v: string) => label('outcome', v),
                },
                countCol('regulator.supervision.col.disputes', 'disputes'),
              ]}
            />
          </>
        ) : (
          <Loading error={disputes.error} />
        )}
      </Figure>

      <Figure
        id="incidents"
        title="regulator.supervision.incidents.title"
        csvPath="/v1/supervision/incidents?format=csv"
        chart={incidentChart}
      >
        {incidents.data ? (
          <>
            <Typography.Paragraph>
              {t('regulator.supervision.incidents.overdueSummaries', {
                count: incidents.data.overdueSummaries,
              })}
            </Typography.Paragraph>
            <Table<Schemas['IncidentCountResponse']>
              size="small"
              rowKey={(r) => `${r.level}/${r.state}`}
              dataSource={incidents.data.rows}
              pagination={false}
              locale={{ emptyText: t('app.empty') }}
              columns={[
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
                countCol('regulator.supervision.col.incidents', 'incidents'),
              ]}
            />
          </>
        ) : (
          <Loading error={incidents.error} />
        )}
      </Figure>

      <Figure
        id="overdue"
        title="regulator.supervision.overdue.title"
        csvPath="/v1/supervision/overdue?format=csv"
        chart={overdueChart}
      >
        {overdue.data ? (
          <Flex vertical gap={12}>
            <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
              {t('regulator.supervision.overdue.summaries')}
            </Typography.Title>
            <Table<Schemas['OverdueSummaryResponse']>
              size="small"
              rowKey="incidentId"
              dataSource={overdue.data.summaries}
              pagination={false}
              locale={{ emptyText: t('app.empty') }}
              columns={[
                { title: t('regulator.col.title'), dataIndex: 'title' },
                {
                  title: t('regulator.col.organisation'),
                  dataIndex: 'organisationId',
                  render: (v: string) => <OrganisationName id={v} />,
                },
                {
                  title: t('regulator.col.level'),
                  dataIndex: 'level',
                  render: (v: number) => label('incidentLevel', v),
                },
                {
                  title: t('regulator.incidents.reportedAt'),
                  dataIndex: 'reportedAt',
                  render: (v: string) => <DateTime iso={v} />,
                },
                {
                  title: t('regulator.col.dueAt'),
                  dataIndex: 'summaryDueAt',
                  render: (v: string) => <DateTime iso={v} />,
                },
              ]}
            />
            <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
              {t('regulator.supervision.overdue.riskReports')}
            </Typography.Title>
            <OverdueHoldersTable items={overdue.data.riskReports} />
          </Flex>
        ) : (
          <Loading error={overdue.error} />
        )}
      </Figure>

      <Figure
        id="suspensions"
        title="regulator.supervision.suspensions.title"
        csvPath="/v1/supervision/suspensions?format=csv"
        chart={suspensionChart}
      >
        {suspensions.data ? (
          <Table<Schemas['SuspensionResponse']>
            size="small"
            rowKey={(r) => `${r.kind}/${r.id}`}
            dataSource={suspensions.data.items}
            pagination={false}
            locale={{ emptyText: t('app.empty') }}
            columns={[
              {
                title: t('regulator.supervision.col.kind'),
                dataIndex: 'kind',
                render: (v: string) => label('suspensionKind', v),
              },
              { title: t('regulator.supervision.col.name'), dataIndex: 'name' },
              {
                title: t('regulator.col.organisation'),
                dataIndex: 'organisationId',
                render: (v: string | null) => <ShortId id={v} />,
              },
              {
                title: t('regulator.col.reason'),
                dataIndex: 'reason',
                render: (v: string | null) => v ?? '—',
              },
              {
                title: t('regulator.supervision.col.since'),
                dataIndex: 'since',
                render: (v: string) => <DateTime iso={v} />,
              },
            ]}
          />
        ) : (
          <Loading error={suspensions.error} />
        )}
      </Figure>

      <Figure
        id="important-data"
        title="regulator.supervision.important.title"
        csvPath="/v1/supervision/important-data?format=csv"
        chart={importantChart}
      >
        {important.data ? (
          <Table
            size="small"
            rowKey={(r) => r.assetId}
            dataSource={important.data.organisations.flatMap((o) =>
              o.assets.map((a) => ({ ...a, organisationName: o.organisationName })),
            )}
            pagination={false}
            locale={{ emptyText: t('app.empty') }}
            columns={[
              { title: t('regulator.col.organisation'), dataIndex: 'organisationName' },
              { title: t('regulator.supervision.col.asset'), dataIndex: 'title' },
              {
                title: t('regulator.col.level'),
                dataIndex: 'level',
                render: (v: string) => label('level', v),
              },
              {
                title: t('regulator.supervision.col.registration'),
                dataIndex: 'registrationNumber',
                render: (v: string | null) => v ?? '—',
              },
            ]}
          />
        ) : (
          <Loading error={important.error} />
        )}
      </Figure>

      <Figure
        id="epsilon"
        title="regulator.supervision.epsilon.title"
        csvPath="/v1/supervision/epsilon?format=csv"
        chart={epsilonChart}
      >
        {epsilon.data ? (
          <Table<Schemas['EpsilonRowResponse']>
            size="small"
            rowKey="datasetId"
            dataSource={epsilon.data.rows}
            pagination={false}
            locale={{ emptyText: t('app.empty') }}
            columns={[
              { title: t('regulator.supervision.col.asset'), dataIndex: 'assetTitle' },
              {
                title: t('regulator.supervision.col.dataset'),
                dataIndex: 'datasetId',
                render: (v: string) => <ShortId id={v} />,
              },
              countCol('regulator.supervision.col.computations', 'releasedComputations'),
              {
                title: t('regulator.supervision.epsilon.spent'),
                dataIndex: 'epsilonSpentMilli',
                align: 'right',
                render: (v: number) => (v / 1000).toFixed(3),
              },
            ]}
          />
        ) : (
          <Loading error={epsilon.error} />
        )}
      </Figure>
    </Space>
  );
}

/** Holders of important data whose yearly risk report is past due (DS 63). */
export function OverdueHoldersTable({ items }: { items: Schemas['OverdueHolderResponse'][] }) {
  const { t } = useI18n();
  return (
    <Table<Schemas['OverdueHolderResponse']>
      size="small"
      rowKey="organisationId"
      dataSource={items}
      pagination={false}
      locale={{ emptyText: t('app.empty') }}
      columns={[
        { title: t('regulator.col.organisation'), dataIndex: 'organisationName' },
        {
          title: t('regulator.riskReports.lastFiled'),
          dataIndex: 'lastFiledAt',
          render: (v: string | null) => <DateTime iso={v} />,
        },
        { title: t('regulator.col.dueAt'), dataIndex: 'dueAt', render: (v: string) => <DateTime iso={v} /> },
        { title: t('regulator.riskReports.importantAssets'), dataIndex: 'importantAssets', align: 'right' },
      ]}
    />
  );
}
