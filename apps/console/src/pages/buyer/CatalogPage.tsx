import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Statistic, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime, Yuan } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { parseYuan } from '../../format/money';
import { useI18n } from '../../i18n/i18n';
import { Highlight } from './Highlight';
import { formatYuanPlain } from './terms';

type Item = Schemas['CatalogItemResponse'];
type Facets = Schemas['CatalogFacetsResponse'];
type FacetName = 'industry' | 'level' | 'pricingMode' | 'billingUnit' | 'delivery';
const FACETS: FacetName[] = ['industry', 'level', 'pricingMode', 'billingUnit', 'delivery'];

interface Filters {
  q: string;
  industry?: string;
  level?: string;
  pricingMode?: string;
  billingUnit?: string;
  delivery?: string;
  minPriceFen?: string;
  maxPriceFen?: string;
}

/** The catalogue: one search box (Chinese and English), facets with counts, a price range in yuan, cursor pages. */
export default function CatalogPage() {
  const { t, tDynamic, list } = useI18n();
  const [filters, setFilters] = useState<Filters>({ q: '' });
  const [facets, setFacets] = useState<Facets | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [minYuan, setMinYuan] = useState('');
  const [maxYuan, setMaxYuan] = useState('');
  const [priceError, setPriceError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | undefined) => {
      const query = Object.fromEntries(
        Object.entries({ ...filters, q: filters.q.trim() || undefined, after }).filter(
          ([, v]) => v !== undefined,
        ),
      );
      const page = await unwrap(api.GET('/v1/catalog', { params: { query: { ...query, limit: 20 } } }));
      setFacets(page.facets);
      setTotal(page.total);
      return page;
    },
    [filters],
  );

  const facetLabel = (name: FacetName, value: string) =>
    name === 'industry' ? value : tDynamic(`buyer.${name}.${value}`);

  const applyPrice = () => {
    const min = minYuan.trim() ? parseYuan(minYuan) : undefined;
    const max = maxYuan.trim() ? parseYuan(maxYuan) : undefined;
    if (min === null || max === null) return setPriceError(t('buyer.catalog.priceInvalid'));
    if (min !== undefined && max !== undefined && min > max)
      return setPriceError(t('buyer.catalog.priceOrder'));
    setPriceError(null);
    setFilters((f) => ({ ...f, minPriceFen: min?.toString(), maxPriceFen: max?.toString() }));
  };

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('buyer.catalog.title')}
      </Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Input.Search
          aria-label={t('buyer.catalog.search')}
          placeholder={t('buyer.catalog.searchPlaceholder')}
          enterButton={t('buyer.catalog.searchButton')}
          allowClear
          size="large"
          onSearch={(q) => setFilters((f) => ({ ...f, q }))}
        />
        <Card size="small" title={t('buyer.catalog.filters')}>
          <Form layout="vertical">
            <Row gutter={16}>
              {FACETS.map((name) => (
                <Col key={name} xs={24} sm={12} md={8} lg={4}>
                  <Form.Item label={t(`buyer.facet.${name}`)} htmlFor={`facet-${name}`}>
                    <Select
                      id={`facet-${name}`}
                      allowClear
                      placeholder={t('buyer.catalog.any')}
                      value={filters[name]}
                      onChange={(value?: string) => setFilters((f) => ({ ...f, [name]: value }))}
                      options={(facets?.[name] ?? []).map((f) => ({
                        value: f.value,
                        label: `${facetLabel(name, f.value)} (${f.count})`,
                      }))}
                    />
                  </Form.Item>
                </Col>
              ))}
              <Col xs={24} lg={4}>
                <Statistic title={t('buyer.catalog.total')} value={total ?? '—'} />
              </Col>
            </Row>
            <Space wrap align="end">
              <Form.Item label={t('buyer.catalog.minYuan')} htmlFor="min-yuan" style={{ marginBottom: 0 }}>
                <Input
                  id="min-yuan"
                  inputMode="decimal"
                  value={minYuan}
                  onChange={(e) => setMinYuan(e.target.value)}
                />
              </Form.Item>
              <Form.Item label={t('buyer.catalog.maxYuan')} htmlFor="max-yuan" style={{ marginBottom: 0 }}>
                <Input
                  id="max-yuan"
                  inputMode="decimal"
                  value={maxYuan}
                  onChange={(e) => setMaxYuan(e.target.value)}
                />
              </Form.Item>
              <Button onClick={applyPrice}>{t('buyer.catalog.applyPrice')}</Button>
              {(facets?.price ?? [])
                .filter((p) => p.count > 0)
                .map((p) => (
                  <Button
                    key={p.range}
                    size="small"
                    onClick={() => {
                      setMinYuan(formatYuanPlain(p.minFen));
                      setMaxYuan(p.maxFen === null ? '' : formatYuanPlain(p.maxFen));
                      setPriceError(null);
                      setFilters((f) => ({
                        ...f,
                        minPriceFen: p.minFen,
                        maxPriceFen: p.maxFen ?? undefined,
                      }));
                    }}
                  >
                    {tDynamic(`buyer.price.${p.range}`)} ({p.count})
                  </Button>
                ))}
            </Space>
            {priceError && <Alert style={{ marginTop: 8 }} type="error" showIcon message={priceError} />}
          </Form>
        </Card>
        <PagedTable<Item>
          rowKey="id"
          load={load}
          columns={[
            {
              title: t('buyer.listing.title'),
              key: 'title',
              render: (_, item) => (
                <Space direction="vertical" size={0}>
                  <Link to={`/catalog/${item.id}`}>
                    <Highlight html={item.highlights.title} />
                  </Link>
                  {item.highlights.description && (
                    <Typography.Text type="secondary">
                      <Highlight html={item.highlights.description} />
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('buyer.listing.merchant'), key: 'merchant', render: (_, item) => item.merchant.name },
            { title: t('buyer.facet.industry'), dataIndex: 'industry' },
            {
              title: t('buyer.facet.level'),
              key: 'level',
              render: (_, item) => tDynamic(`buyer.level.${item.level}`),
            },
            {
              title: t('buyer.listing.price'),
              key: 'price',
              render: (_, item) => (
                <Space direction="vertical" size={0}>
                  <Yuan fen={item.pricing.priceFen} />
                  <Typography.Text type="secondary">
                    {tDynamic(`buyer.pricingMode.${item.pricing.mode}`)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('buyer.facet.billingUnit'),
              key: 'billing',
              render: (_, item) => list(item.billingUnits.map((u) => tDynamic(`buyer.billingUnit.${u}`))),
            },
            {
              title: t('buyer.facet.delivery'),
              key: 'delivery',
              render: (_, item) => tDynamic(`buyer.delivery.${item.delivery}`),
            },
            {
              title: t('buyer.listing.publishedAt'),
              key: 'publishedAt',
              render: (_, item) => <DateTime iso={item.publishedAt} dateOnly />,
            },
          ]}
        />
      </Space>
    </>
  );
}
