import { PRICING_MODES, type DeliveryMode, type PricingMode } from '@app/compliance';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Yuan } from '../../components/Display';
import { useRecipes } from '../../api/recipes';
import { describeError } from '../../components/errors';
import { useAction } from '../../components/useAction';
import { parseYuan } from '../../format/money';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { LevelTag } from './common';
import { MIN_ROWS, NUMERIC_COLUMN_TYPES, checkListingDraft, listingRules } from './rules';

type Asset = Schemas['AssetResponse'];
type Band = Schemas['PricingBandResponse'];
const BILLING_UNITS = ['one-off', 'subscription', 'per-computation'] as const;

interface Values {
  assetIds?: string[];
  title?: string;
  description?: string;
  mode?: PricingMode;
  category?: string;
  price?: string;
  billingUnits?: (typeof BILLING_UNITS)[number][];
  subscriptionDays?: number;
  delivery?: DeliveryMode;
  recipes?: string[];
  recipeColumns?: string[];
  minRows?: number;
}

const INITIAL: Values = {
  assetIds: [],
  mode: 'market',
  billingUnits: ['per-computation'],
  delivery: 'compute',
  recipes: [],
  recipeColumns: [],
  minRows: MIN_ROWS,
};

/**
 * A new listing over the merchant's registered assets. Before anything is sent the page shows what applies: the
 * listing's level and open attribute (DS 29, DE 31), the delivery it may have (DS 58, DS 59), the obligations its
 * contracts will carry, and for guided pricing the regulator's band with the price checked against it (DE 41).
 */
export default function ListingFormPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], { form, preserve: true }) as Values | undefined;
  const values: Values = { ...INITIAL, ...watched };
  const [assets, setAssets] = useState<Asset[]>([]);
  const [bands, setBands] = useState<Band[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const recipes = useRecipes();
  const rolesOf = (recipe: string) => recipes.find((r) => r.id === recipe)?.inputs.length ?? 1;

  useEffect(() => {
    Promise.all([
      unwrap(api.GET('/v1/assets', { params: { query: { status: 'registered' } } })),
      unwrap(api.GET('/v1/pricing-bands')),
    ])
      .then(([a, b]) => {
        setAssets(a.assets);
        setBands(b.bands);
      })
      .catch((caught: unknown) => setLoadError(describeError(caught, t)));
  }, [t]);

  const chosen = useMemo(
    () => assets.filter((a) => (values.assetIds ?? []).includes(a.id)),
    [assets, values.assetIds],
  );
  const listed = chosen.map((a) => ({
    level: a.level,
    openAttribute: a.openAttribute,
    dataKind: a.dataKind,
  }));
  const rules = listingRules(listed);
  const band = values.mode === 'guided' ? (bands.find((b) => b.category === values.category) ?? null) : null;
  const priceFen = values.price === undefined || values.price === '' ? null : parseYuan(values.price);
  const priceTyped = values.price !== undefined && values.price !== '';
  const check = checkListingDraft({
    assets: listed,
    delivery: values.delivery ?? 'compute',
    recipes: (values.recipes ?? []).map((recipe) => ({ recipe, columns: values.recipeColumns ?? [] })),
    minRows: values.delivery === 'compute' ? (values.minRows ?? null) : null,
    mode: values.mode ?? 'market',
    priceFen,
    band: band
      ? {
          category: band.category,
          minFen: BigInt(band.minFen),
          maxFen: BigInt(band.maxFen),
          publicResourceFeeBasisPoints: band.publicResourceFeeBasisPoints,
        }
      : null,
  });
  const numericColumns = [
    ...new Set(
      chosen.flatMap((a) =>
        a.columns.filter((c) => NUMERIC_COLUMN_TYPES.includes(c.type)).map((c) => c.name),
      ),
    ),
  ];
  const recipeProblem = (values.recipes ?? []).find((r) => (values.recipeColumns ?? []).length < rolesOf(r));
  const priceError =
    priceTyped && priceFen === null
      ? t('merchant.listingForm.priceFormat')
      : check.price
        ? `${check.price.article}: ${tDynamic(`merchant.rule.${check.price.code}`)}`
        : null;
  const blocked =
    chosen.length === 0 ||
    (values.billingUnits ?? []).length === 0 ||
    (values.delivery === 'compute' && (values.recipeColumns ?? []).length === 0) ||
    check.shape !== null ||
    priceError !== null ||
    priceFen === null ||
    recipeProblem !== undefined;

  const create = useAction(
    async (v: Values, andSubmit: boolean) => {
      const compute = v.delivery === 'compute';
      const body: Schemas['NewListingDto'] = {
        assetIds: v.assetIds ?? [],
        title: v.title ?? '',
        description: v.description ?? '',
        pricing: {
          mode: v.mode ?? 'market',
          priceFen: String(parseYuan(v.price ?? '') ?? ''),
          ...(v.mode === 'guided' ? { category: v.category } : {}),
        },
        billingUnits: v.billingUnits ?? [],
        ...(v.billingUnits?.includes('subscription') ? { subscriptionDays: v.subscriptionDays } : {}),
        delivery: v.delivery ?? 'compute',
        ...(compute
          ? {
              recipes: (v.recipes ?? []).map((recipe) => ({ recipe, columns: v.recipeColumns ?? [] })),
              minRows: v.minRows,
            }
          : {}),
      };
      const listing = await unwrap(api.POST('/v1/listings', { body }));
      if (andSubmit)
        await unwrap(api.POST('/v1/listings/{id}/submit', { params: { path: { id: listing.id } } }));
      await navigate('/merchant/listings');
      return listing;
    },
    (l) => t('merchant.listingForm.created', { title: l.title }),
  );

  const finish = (andSubmit: boolean) =>
    form
      .validateFields()
      .then((v) => create.run(v, andSubmit))
      .catch(() => undefined);

  const required = [{ required: true, message: t('merchant.form.required') }];
  const yesNo = (b: boolean) => (b ? t('app.yes') : t('app.no'));

  const rulesPanel = (
    <Card
      title={t('merchant.listingForm.rulesTitle')}
      styles={{ title: { whiteSpace: 'normal' } }}
      role="region"
      aria-label={t('merchant.listingForm.rulesTitle')}
      aria-live="polite"
    >
      {!rules ? (
        <Typography.Paragraph>{t('merchant.listingForm.pickAssets')}</Typography.Paragraph>
      ) : (
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('merchant.asset.level')}>
            <LevelTag level={rules.level} /> (DS 29)
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.asset.openAttribute')}>
            {tDynamic(`merchant.open.${rules.openAttribute}`)} (DE 31)
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.listingForm.listable')}>
            {yesNo(rules.allowance.listable.allowed)} ({rules.allowance.listable.article})
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.listingForm.deliveryAllowed')}>
            <span data-testid="allowed-delivery" data-modes={rules.allowance.deliveryModes.modes.join(',')}>
              {rules.allowance.deliveryModes.modes
                .map((m) => tDynamic(`merchant.delivery.${m}`))
                .join(t('merchant.separator'))}{' '}
              ({rules.allowance.deliveryModes.article})
            </span>
          </Descriptions.Item>
          {rules.allowance.deliveryModes.modes.length === 1 && (
            <Descriptions.Item label={t('merchant.listingForm.computeRules')}>
              {t('merchant.listingForm.computeRulesText', { k: MIN_ROWS })}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('merchant.listingForm.securityAgreement')}>
            {yesNo(rules.allowance.securityAgreementInContract.required)} (DS 35)
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.listingForm.purposeRequired')}>
            {yesNo(rules.allowance.purposeInContract.required)} (DE 31)
          </Descriptions.Item>
          <Descriptions.Item label={t('merchant.listingForm.crossBorder')}>
            {yesNo(rules.allowance.crossBorder.allowed)} (DS 38)
          </Descriptions.Item>
        </Descriptions>
      )}
      {check.shape && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={`${check.shape.article}: ${tDynamic(`merchant.rule.${check.shape.code}`)}`}
        />
      )}
      {recipeProblem && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          message={t('merchant.listingForm.tooFewColumns', {
            recipe: recipeProblem,
            n: rolesOf(recipeProblem),
          })}
        />
      )}
    </Card>
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('merchant.listingForm.title')}
      </Typography.Title>
      {loadError && <Alert type="error" showIcon message={loadError} />}
      <Row gutter={24}>
        <Col xs={24} lg={15}>
          <Form<Values> form={form} layout="vertical" initialValues={INITIAL}>
            <Form.Item
              name="assetIds"
              label={t('merchant.listingForm.assets')}
              extra={assets.length === 0 ? t('merchant.listingForm.noAssets') : undefined}
            >
              <Checkbox.Group>
                <Space direction="vertical">
                  {assets.map((a) => (
                    <Checkbox key={a.id} value={a.id}>
                      {a.title} · {a.registrationNumber} · {tDynamic(`merchant.level.${a.level}`)} ·{' '}
                      {tDynamic(`merchant.open.${a.openAttribute}`)}
                    </Checkbox>
                  ))}
                </Space>
              </Checkbox.Group>
            </Form.Item>
            <Form.Item name="title" label={t('merchant.listing.title')} rules={required}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="description" label={t('merchant.listing.description')} rules={required}>
              <Input.TextArea rows={3} />
            </Form.Item>

            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t('merchant.listingForm.pricing')}
            </Typography.Title>
            <Form.Item name="mode" label={t('merchant.listingForm.mode')} rules={required}>
              <Radio.Group
                options={PRICING_MODES.map((m) => ({ value: m, label: tDynamic(`merchant.pricing.${m}`) }))}
              />
            </Form.Item>
            {values.mode === 'guided' && (
              <Form.Item
                name="category"
                label={t('merchant.listingForm.category')}
                rules={required}
                extra={bands.length === 0 ? t('merchant.listingForm.noBands') : undefined}
              >
                <Radio.Group options={bands.map((b) => ({ value: b.category, label: b.category }))} />
              </Form.Item>
            )}
            {band && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message={
                  <span data-testid="pricing-band">
                    {t('merchant.listingForm.band', { category: band.category })} <Yuan fen={band.minFen} /> –{' '}
                    <Yuan fen={band.maxFen} />
                    {t('merchant.listingForm.bandFee', {
                      fee: (band.publicResourceFeeBasisPoints / 100).toFixed(2),
                    })}
                  </span>
                }
              />
            )}
            <Form.Item
              name="price"
              label={t('merchant.listingForm.price')}
              rules={required}
              validateStatus={priceError ? 'error' : undefined}
              help={priceError ?? undefined}
              extra={t('merchant.listingForm.priceHint')}
            >
              <Input inputMode="decimal" prefix="¥" style={{ maxWidth: 240 }} />
            </Form.Item>
            <Form.Item name="billingUnits" label={t('merchant.listingForm.billingUnits')}>
              <Checkbox.Group
                options={BILLING_UNITS.map((u) => ({ value: u, label: tDynamic(`merchant.billing.${u}`) }))}
              />
            </Form.Item>
            {values.billingUnits?.includes('subscription') && (
              <Form.Item
                name="subscriptionDays"
                label={t('merchant.listingForm.subscriptionDays')}
                rules={required}
              >
                <InputNumber min={1} precision={0} />
              </Form.Item>
            )}

            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t('merchant.listingForm.deliveryTitle')}
            </Typography.Title>
            <Form.Item name="delivery" label={t('merchant.listing.delivery')} rules={required}>
              <Radio.Group
                options={(['compute', 'file'] as const).map((d) => ({
                  value: d,
                  label: tDynamic(`merchant.delivery.${d}`),
                  disabled: rules ? !rules.allowance.deliveryModes.modes.includes(d) : false,
                }))}
              />
            </Form.Item>
            {values.delivery === 'compute' && (
              <>
                <Form.Item name="recipes" label={t('merchant.listingForm.recipes')}>
                  <Checkbox.Group
                    options={recipes.map((r) => ({
                      value: r.id,
                      label: tDynamic(`merchant.recipe.${r.id}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name="recipeColumns"
                  label={t('merchant.listingForm.recipeColumns')}
                  extra={t('merchant.listingForm.recipeColumnsHint')}
                >
                  <Checkbox.Group options={numericColumns.map((c) => ({ value: c, label: c }))} />
                </Form.Item>
                <Form.Item name="minRows" label={t('merchant.listingForm.minRows')} rules={required}>
                  <InputNumber min={1} precision={0} />
                </Form.Item>
              </>
            )}
            <Space>
              <Button
                type="primary"
                disabled={blocked || !session.canWrite('merchant')}
                loading={create.running}
                onClick={() => void finish(true)}
              >
                {t('merchant.listingForm.createAndSubmit')}
              </Button>
              <Button
                disabled={blocked || !session.canWrite('merchant')}
                loading={create.running}
                onClick={() => void finish(false)}
              >
                {t('merchant.listingForm.saveDraft')}
              </Button>
            </Space>
          </Form>
        </Col>
        <Col xs={24} lg={9}>
          {rulesPanel}
        </Col>
      </Row>
    </>
  );
}
