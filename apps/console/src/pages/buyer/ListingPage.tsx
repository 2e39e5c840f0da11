import { Alert, Card, Descriptions, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { describeError } from '../../components/errors';
import { DateTime, Yuan } from '../../components/Display';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { TermsForm } from './TermsForm';

/** A published listing, with the application form for buyers. */
export default function ListingPage() {
  const { id = '' } = useParams();
  const { t, tDynamic, list } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [listing, setListing] = useState<Schemas['ListingResponse'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    unwrap(api.GET('/v1/listings/{id}', { params: { path: { id } } }))
      .then(setListing)
      .catch((e: unknown) => setError(describeError(e, t)));
  }, [id, t]);

  const applyFor = useCallback(
    (terms: Schemas['TermsDto']) => unwrap(api.POST('/v1/negotiations', { body: { listingId: id, terms } })),
    [id],
  );
  const apply = useAction(applyFor, t('buyer.listing.applied'));

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!listing) return <Spin />;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {listing.title}
      </Typography.Title>
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('buyer.listing.description')} span={2}>
            {listing.description}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.facet.industry')}>{listing.industry}</Descriptions.Item>
          <Descriptions.Item label={t('buyer.facet.level')}>
            {tDynamic(`buyer.level.${listing.level}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.listing.price')}>
            <Yuan fen={listing.pricing.priceFen} /> · {tDynamic(`buyer.pricingMode.${listing.pricing.mode}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.facet.billingUnit')}>
            {list(listing.billingUnits.map((u) => tDynamic(`buyer.billingUnit.${u}`)))}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.facet.delivery')}>
            {tDynamic(`buyer.delivery.${listing.delivery}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.listing.minRows')}>{listing.minRows ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('buyer.listing.recipes')} span={2}>
            {listing.recipes.map((r) => (
              <Tag key={r.recipe}>
                {r.recipe}: {r.columns.join(', ')}
              </Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.listing.epsilon')}>
            {listing.epsilonPerRelease ?? '—'} / {listing.epsilonBudget ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('buyer.listing.publishedAt')}>
            <DateTime iso={listing.publishedAt} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {session.has('buyer') && session.canWrite('buyer') && (
        <Card
          title={
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              {t('buyer.listing.apply')}
            </Typography.Title>
          }
          style={{ marginTop: 16 }}
        >
          <TermsForm
            idPrefix="apply"
            listing={listing}
            submitLabel={t('buyer.listing.applyButton')}
            running={apply.running}
            onSubmit={(terms) => void apply.run(terms).then((n) => n && navigate(`/negotiations/${n.id}`))}
          />
        </Card>
      )}
    </>
  );
}
