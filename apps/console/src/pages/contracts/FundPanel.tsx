import { Alert, Button, Descriptions, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { Yuan } from '../../components/Display';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { newIdempotencyKey } from '../../components/idempotency';
import { availableFen, type Contract } from './shared';

/**
 * The buyer pays a signed contract into escrow: the amount and its available balance side by side, refused here
 * when the balance cannot cover it (the API decides in the end). One Idempotency-Key per payment, kept for retries.
 */
export function FundPanel({ contract, onFunded }: { contract: Contract; onFunded: () => void }) {
  const { t } = useI18n();
  const { principal } = useSession();
  const [available, setAvailable] = useState<bigint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  useEffect(() => {
    if (!principal) return;
    availableFen(principal.organisationId)
      .then(setAvailable)
      .catch((caught: unknown) => setError(describeError(caught, t)));
  }, [principal, t]);
  const amount = BigInt(contract.amountFen);
  const enough = available !== null && available >= amount;
  const fund = useAction(
    () =>
      unwrap(
        api.POST('/v1/contracts/{id}/fund', {
          params: { path: { id: contract.id }, header: { 'Idempotency-Key': key } },
          // The amount the buyer saw: the API refuses the payment if the contract asks another.
          body: { amountFen: contract.amountFen },
        }),
      ),
    t('contracts.fund.done'),
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('contracts.fund.title')}
      </Typography.Title>
      <Descriptions bordered size="small" column={1} style={{ maxWidth: 520 }}>
        <Descriptions.Item label={t('contracts.fund.amount')}>
          <strong>
            <Yuan fen={amount} />
          </strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.fund.available')}>
          <span data-testid="fund-available">{available === null ? '—' : <Yuan fen={available} />}</span>
        </Descriptions.Item>
      </Descriptions>
      {error && <Alert type="error" showIcon message={error} />}
      {available !== null && !enough && (
        <Alert
          type="warning"
          showIcon
          message={t('contracts.fund.insufficient')}
          description={t('contracts.fund.insufficientHelp')}
        />
      )}
      <Typography.Text type="secondary">{t('contracts.fund.help')}</Typography.Text>
      <Button
        type="primary"
        disabled={!enough}
        loading={fund.running}
        onClick={() => void fund.run().then((r) => r && onFunded())}
      >
        {t('contracts.fund.submit')}
      </Button>
    </Space>
  );
}
