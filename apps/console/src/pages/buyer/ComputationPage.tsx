import { Alert, Button, Card, Descriptions, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { describeError } from '../../components/errors';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { OpenError, openResultInBrowser } from './resultCrypto';

type Computation = Schemas['ComputationDto'];
const SETTLED = ['released', 'refused', 'failed'];

/** One computation, followed until it settles; a released result is fetched sealed and opened in this browser. */
export default function ComputationPage() {
  const { id = '' } = useParams();
  const { t, tDynamic } = useI18n();
  const [computation, setComputation] = useState<Computation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<string | null>(null);

  const reload = useCallback(
    () =>
      unwrap(api.GET('/v1/computations/{id}', { params: { path: { id } } }))
        .then(setComputation)
        .catch((e: unknown) => setError(describeError(e, t))),
    [id, t],
  );
  useEffect(() => void reload(), [reload]);
  // Follows the state while the computation is on its way (queued → running → evaluated → released).
  useEffect(() => {
    if (!computation || SETTLED.includes(computation.state)) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [computation, reload]);

  const open = async () => {
    if (!computation) return;
    setOpening(true);
    setOpenError(null);
    try {
      const result = await unwrap(api.GET('/v1/computations/{id}/result', { params: { path: { id } } }));
      // The ids asked for, never the ids the envelope states.
      const bytes = await openResultInBrowser(result.envelope, {
        computationId: computation.id,
        contractId: computation.contractId,
      });
      const text = new TextDecoder().decode(bytes);
      try {
        setPlaintext(JSON.stringify(JSON.parse(text), null, 2));
      } catch {
        setPlaintext(text);
      }
    } catch (caught) {
      setOpenError(
        caught instanceof OpenError
          ? t('buyer.result.openFailed', { reason: tDynamic(`buyer.openError.${caught.code}`) })
          : describeError(caught, t),
      );
    } finally {
      setOpening(false);
    }
  };

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!computation) return <Spin />;
  const c = computation;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('buyer.computation.title', { recipe: c.recipe })}
      </Typography.Title>
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label={t('buyer.computations.state')}>
            <ColourTag
              colour={
                c.state === 'released'
                  ? 'green'
                  : c.state === 'refused' || c.state === 'failed'
                    ? 'red'
                    : 'blue'
              }
              data-testid="computation-state"
            >
              {tDynamic(`buyer.computationState.${c.state}`)}
            </ColourTag>
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.computations.contract')}>
            <Typography.Text code>{c.contractId}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.computations.bindings')}>
            {JSON.stringify(c.bindings)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.computations.filters')}>
            {c.filters.length === 0
              ? '—'
              : c.filters
                  .map((f) => `${f.column} ${tDynamic(`buyer.op.${f.op}`)} ${JSON.stringify(f.value)}`)
                  .join('; ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.computations.rows')}>{c.rowsAggregated}</Descriptions.Item>
          <Descriptions.Item label={t('buyer.computations.epsilon')}>
            {c.epsilonSpent ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.computations.queuedAt')}>
            <DateTime iso={c.queuedAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.computation.finishedAt')}>
            <DateTime iso={c.finishedAt} />
          </Descriptions.Item>
          {c.reason && (
            <Descriptions.Item label={t('buyer.computation.reason')} span={2}>
              {c.reason}
            </Descriptions.Item>
          )}
          {c.resultHash && (
            <Descriptions.Item label={t('buyer.computation.resultHash')} span={2}>
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {c.resultHash}
              </Typography.Text>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card
        style={{ marginTop: 16 }}
        title={
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            {t('buyer.result.title')}
          </Typography.Title>
        }
      >
        <Typography.Paragraph>{t('buyer.result.explain')}</Typography.Paragraph>
        {c.state === 'released' ? (
          <Button type="primary" loading={opening} onClick={() => void open()}>
            {t('buyer.result.open')}
          </Button>
        ) : (
          <Alert type="info" showIcon message={t('buyer.result.notYet')} />
        )}
        {openError && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            message={openError}
            action={<Link to="/result-keys">{t('buyer.keys.title')}</Link>}
          />
        )}
        {plaintext !== null && (
          <section aria-label={t('buyer.result.plaintext')} style={{ marginTop: 12 }}>
            <Typography.Title level={3} style={{ fontSize: 16 }}>
              {t('buyer.result.plaintext')}
            </Typography.Title>
            <pre
              data-testid="result-plaintext"
              style={{ background: '#f5f5f5', padding: 12, whiteSpace: 'pre-wrap' }}
            >
              {plaintext}
            </pre>
          </section>
        )}
      </Card>
    </>
  );
}
