import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { Yuan } from '../../components/Display';
import { describeError } from '../../components/errors';
import { PagedTable } from '../../components/PagedTable';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';

type Account = Schemas['AccountBalanceResponse'];

/** Revenue and balances: what the merchant is owed (receivable) and may pay out (available), in yuan from fen. */
export default function BalancesPage() {
  const { t, tDynamic } = useI18n();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await unwrap(api.GET('/v1/settlement/balances'));
    return onePage(r.accounts);
  }, []);
  useEffect(() => {
    load()
      .then((p) => setAccounts(p.items))
      .catch((caught: unknown) => setError(describeError(caught, t)));
  }, [load, t]);
  const of = (purpose: Account['purpose']) => accounts.find((a) => a.purpose === purpose);
  const figure = (purpose: Account['purpose']) => (
    <Col xs={24} md={8} key={purpose}>
      <Card>
        <Statistic
          title={tDynamic(`merchant.purpose.${purpose}`)}
          valueRender={() => (
            <span data-testid={`balance-${purpose}`}>
              <Yuan fen={of(purpose)?.availableFen ?? '0'} />
            </span>
          )}
        />
        <Typography.Text type="secondary">
          {t('merchant.balances.pending')} <Yuan fen={of(purpose)?.pendingFen ?? '0'} />
        </Typography.Text>
      </Card>
    </Col>
  );
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('merchant.balances.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('merchant.balances.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      <Row gutter={16} style={{ marginBottom: 24 }}>
        {(['receivable', 'available', 'escrow'] as const).map(figure)}
      </Row>
      <PagedTable<Account>
        rowKey="accountId"
        load={load}
        columns={[
          {
            title: t('merchant.balances.account'),
            dataIndex: 'purpose',
            render: (p: string) => tDynamic(`merchant.purpose.${p}`),
          },
          {
            title: t('merchant.balances.available'),
            dataIndex: 'availableFen',
            render: (f: string) => <Yuan fen={f} />,
          },
          {
            title: t('merchant.balances.pendingColumn'),
            dataIndex: 'pendingFen',
            render: (f: string) => <Yuan fen={f} />,
          },
          {
            title: t('merchant.balances.credits'),
            dataIndex: 'creditsPostedFen',
            render: (f: string) => <Yuan fen={f} />,
          },
          {
            title: t('merchant.balances.debits'),
            dataIndex: 'debitsPostedFen',
            render: (f: string) => <Yuan fen={f} />,
          },
        ]}
      />
    </>
  );
}
