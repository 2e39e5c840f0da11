import { Alert, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useI18n } from '../../i18n/i18n';

type Dataset = Schemas['DatasetSummaryResponse'];
type Computation = Schemas['ComputationDto'];
const FILTERS = ['all', 'evaluated', 'released', 'refused'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * The merchant's encrypted datasets (versions and state) and the computations on them: those waiting for the
 * merchant's release agent and those released. Uploading and releasing stay with the CLI, which holds the keys.
 */
export default function DatasetsPage() {
  const { t, tDynamic } = useI18n();
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  const [filter, setFilter] = useState<Filter>('all');
  useEffect(() => {
    unwrap(api.GET('/v1/assets'))
      .then((r) => setTitles(new Map(r.assets.map((a) => [a.id, a.title]))))
      .catch(() => undefined);
  }, []);
  const loadDatasets = useCallback(async (after: string | undefined) => {
    const page = await unwrap(api.GET('/v1/datasets', { params: { query: { after, limit: 20 } } }));
    return { items: page.datasets, next: page.next };
  }, []);
  const loadComputations = useCallback(
    async (after: string | undefined) =>
      unwrap(
        api.GET('/v1/computations', {
          params: { query: { after, limit: 20, ...(filter === 'all' ? {} : { state: filter }) } },
        }),
      ),
    [filter],
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('merchant.datasets.title')}
      </Typography.Title>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Alert
          type="info"
          showIcon
          message={t('merchant.datasets.cliTitle')}
          description={
            <>
              <Typography.Paragraph>{t('merchant.datasets.cliText')}</Typography.Paragraph>
              <Typography.Paragraph code copyable>
                npx exchange dataset upload --asset &lt;assetId&gt; --csv data.csv --keys merchant.hekeys
                --spec spec.json
              </Typography.Paragraph>
              <Typography.Paragraph code copyable>
                npx exchange agent --once --keys merchant.hekeys
              </Typography.Paragraph>
            </>
          }
        />
        <section aria-labelledby="merchant-datasets">
          <Typography.Title level={2} style={{ fontSize: 18 }} id="merchant-datasets">
            {t('merchant.datasets.datasets')}
          </Typography.Title>
          <PagedTable<Dataset>
            rowKey="id"
            size="small"
            load={loadDatasets}
            columns={[
              {
                title: t('merchant.datasets.asset'),
                dataIndex: 'assetId',
                render: (id: string) => titles.get(id) ?? id,
              },
              { title: t('merchant.datasets.version'), dataIndex: 'version' },
              {
                title: t('merchant.datasets.state'),
                dataIndex: 'state',
                render: (s: string) => <Tag>{tDynamic(`merchant.datasetState.${s}`)}</Tag>,
              },
              { title: t('merchant.datasets.scheme'), dataIndex: 'paramSet' },
              { title: t('merchant.datasets.rows'), dataIndex: 'rowCount' },
              { title: t('merchant.datasets.chunks'), dataIndex: 'chunkCount' },
              {
                title: t('merchant.datasets.completedAt'),
                dataIndex: 'completedAt',
                render: (iso: string | null) => <DateTime iso={iso} />,
              },
            ]}
          />
        </section>
        <section aria-labelledby="merchant-computations">
          <Typography.Title level={2} style={{ fontSize: 18 }} id="merchant-computations">
            {t('merchant.datasets.computations')}
          </Typography.Title>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Radio.Group
              aria-label={t('merchant.datasets.filter')}
              optionType="button"
              value={filter}
              onChange={(e) => setFilter(e.target.value as Filter)}
              options={FILTERS.map((f) => ({ value: f, label: tDynamic(`merchant.datasets.filter.${f}`) }))}
            />
            <PagedTable<Computation>
              rowKey="id"
              size="small"
              load={loadComputations}
              columns={[
                {
                  title: t('merchant.datasets.recipe'),
                  dataIndex: 'recipe',
                  render: (r: string) => tDynamic(`merchant.recipe.${r}`),
                },
                {
                  title: t('merchant.datasets.state'),
                  dataIndex: 'state',
                  render: (s: string) => <Tag>{tDynamic(`merchant.computationState.${s}`)}</Tag>,
                },
                { title: t('merchant.datasets.contract'), dataIndex: 'contractId' },
                {
                  title: t('merchant.datasets.rowsAggregated'),
                  dataIndex: 'rowsAggregated',
                  render: (n: number | null) => n ?? '—',
                },
                {
                  title: t('merchant.datasets.epsilon'),
                  dataIndex: 'epsilonSpent',
                  render: (e: string | null) => e ?? '—',
                },
                {
                  title: t('merchant.datasets.queuedAt'),
                  dataIndex: 'queuedAt',
                  render: (iso: string) => <DateTime iso={iso} />,
                },
                {
                  title: t('merchant.datasets.finishedAt'),
                  dataIndex: 'finishedAt',
                  render: (iso: string | null) => <DateTime iso={iso} />,
                },
              ]}
            />
          </Space>
        </section>
      </Space>
    </>
  );
}
