import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { useRecipes } from '../../api/recipes';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { FILTER_OPS } from './filter-ops';

type Computation = Schemas['ComputationDto'];
type Contract = Schemas['ContractResponse'];
type Op = (typeof FILTER_OPS)[number];

/** Run a computation on an active contract, within its recipes and columns; the buyer's computations and states. */
export default function ComputationsPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [contracts, setContracts] = useState<Contract[]>([]);
  const [contractId, setContractId] = useState<string | undefined>();
  const [recipe, setRecipe] = useState<string | undefined>();
  const [bindings, setBindings] = useState<Record<string, string | string[]>>({});
  const [filterColumn, setFilterColumn] = useState('');
  const [filterOp, setFilterOp] = useState<Op>('lt');
  const [filterValue, setFilterValue] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    unwrap(api.GET('/v1/contracts', { params: { query: { state: 'active', limit: 100 } } }))
      .then((page) => {
        setContracts(page.items);
        if (page.items.length > 0) setContractId((c) => c ?? page.items[0].id);
      })
      .catch(() => setContracts([]));
  }, []);
  const contract = contracts.find((c) => c.id === contractId);
  const catalogue = useRecipes();
  const roles = catalogue.find((r) => r.id === recipe)?.inputs ?? [];

  const submit = useAction(
    useCallback(
      (body: Schemas['CreateComputationDto']) => unwrap(api.POST('/v1/computations', { body })),
      [],
    ),
    t('buyer.computations.submitted'),
  );
  const run = async () => {
    if (!contractId || !recipe) return setFormError(t('buyer.computations.chooseRecipe'));
    const filters: Schemas['ComputationFilterDto'][] = [];
    if (filterColumn.trim()) {
      const numbers = filterValue
        .split(/[,，\s]+/)
        .filter(Boolean)
        .map(Number);
      if (
        numbers.length === 0 ||
        numbers.some((n) => !Number.isFinite(n)) ||
        (filterOp !== 'in' && numbers.length !== 1)
      )
        return setFormError(t('buyer.computations.filterInvalid'));
      filters.push({
        column: filterColumn.trim(),
        op: filterOp,
        value: filterOp === 'in' ? numbers : numbers[0],
      });
    }
    setFormError(null);
    const created = await submit.run({ contractId, recipe, bindings, filters });
    if (created) {
      setReloadKey((k) => k + 1);
      void navigate(`/computations/${created.id}`);
    }
  };

  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/computations', { params: { query: { after, contractId, limit: 20 } } })),
    [contractId],
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('buyer.computations.title')}
      </Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {contracts.length === 0 && (
          <Alert type="info" showIcon message={t('buyer.computations.noContract')} />
        )}
        <Form layout="vertical">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item label={t('buyer.computations.contract')} htmlFor="computation-contract">
                <Select
                  id="computation-contract"
                  value={contractId}
                  onChange={(v: string) => {
                    setContractId(v);
                    setRecipe(undefined);
                    setBindings({});
                  }}
                  options={contracts.map((c) => ({
                    value: c.id,
                    label: `${c.terms.purpose} · ${c.id.slice(0, 8)}`,
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>
          {session.canWrite('buyer') && contract && (
            <Card
              size="small"
              title={
                <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                  {t('buyer.computations.run')}
                </Typography.Title>
              }
            >
              <Row gutter={16}>
                <Col xs={24} md={8}>
                  <Form.Item label={t('buyer.computations.recipe')} htmlFor="computation-recipe">
                    <Select
                      id="computation-recipe"
                      value={recipe}
                      onChange={(v: string) => {
                        setRecipe(v);
                        setBindings({});
                      }}
                      options={contract.terms.recipes.map((r) => ({ value: r, label: r }))}
                    />
                  </Form.Item>
                </Col>
                {roles.map((r) => (
                  <Col xs={24} md={8} key={r.role}>
                    <Form.Item
                      label={t('buyer.computations.binding', { role: r.role })}
                      htmlFor={`binding-${r.role}`}
                    >
                      <Select
                        id={`binding-${r.role}`}
                        mode={r.many ? 'multiple' : undefined}
                        value={bindings[r.role]}
                        onChange={(v: string | string[]) => setBindings((b) => ({ ...b, [r.role]: v }))}
                        options={contract.terms.columns.map((c) => ({ value: c, label: c }))}
                      />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Typography.Paragraph type="secondary">
                {t('buyer.computations.filterHelp')}
              </Typography.Paragraph>
              <Row gutter={16}>
                <Col xs={24} md={8}>
                  <Form.Item label={t('buyer.computations.filterColumn')} htmlFor="filter-column">
                    <Input
                      id="filter-column"
                      value={filterColumn}
                      onChange={(e) => setFilterColumn(e.target.value)}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item label={t('buyer.computations.filterOp')} htmlFor="filter-op">
                    <Select
                      id="filter-op"
                      value={filterOp}
                      onChange={setFilterOp}
                      options={FILTER_OPS.map((op) => ({ value: op, label: tDynamic(`buyer.op.${op}`) }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item label={t('buyer.computations.filterValue')} htmlFor="filter-value">
                    <Input
                      id="filter-value"
                      inputMode="decimal"
                      value={filterValue}
                      onChange={(e) => setFilterValue(e.target.value)}
                    />
                  </Form.Item>
                </Col>
              </Row>
              {(formError ?? submit.error) && (
                <Alert
                  style={{ marginBottom: 12 }}
                  type="error"
                  showIcon
                  data-testid="computation-refused"
                  message={formError ?? submit.error}
                />
              )}
              <Button type="primary" loading={submit.running} onClick={() => void run()}>
                {t('buyer.computations.runButton')}
              </Button>
            </Card>
          )}
        </Form>
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          {t('buyer.computations.list')}
        </Typography.Title>
        <PagedTable<Computation>
          rowKey="id"
          load={load}
          reloadKey={reloadKey}
          columns={[
            {
              title: t('buyer.computations.recipe'),
              key: 'recipe',
              render: (_, c) => (
                <Link to={`/computations/${c.id}`}>{`${c.recipe} · ${c.id.slice(0, 8)}`}</Link>
              ),
            },
            {
              title: t('buyer.computations.state'),
              key: 'state',
              render: (_, c) => tDynamic(`buyer.computationState.${c.state}`),
            },
            { title: t('buyer.computations.rows'), dataIndex: 'rowsAggregated' },
            { title: t('buyer.computations.epsilon'), key: 'eps', render: (_, c) => c.epsilonSpent ?? '—' },
            {
              title: t('buyer.computations.queuedAt'),
              key: 'queuedAt',
              render: (_, c) => <DateTime iso={c.queuedAt} />,
            },
          ]}
        />
      </Space>
    </>
  );
}
