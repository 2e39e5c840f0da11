import { Button, Form, Input, InputNumber, Select } from 'antd';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { formatYuanPlain } from './terms';
import { parseYuan } from '../../format/money';
import { useI18n } from '../../i18n/i18n';

type Terms = Schemas['TermsDto'];
type Listing = Schemas['ListingResponse'];

interface Values {
  purpose: string;
  columns: string[];
  recipes: string[];
  delivery: Terms['delivery'];
  billingUnit: Terms['billingUnit'];
  priceYuan: string;
  periodDays: number;
  computations?: number | null;
}

/** The terms of an application or a counter-offer, within what the listing offers (the API checks them again). */
export function TermsForm({
  listing,
  initial,
  submitLabel,
  running,
  onSubmit,
  idPrefix,
}: {
  listing: Listing;
  initial?: Schemas['TermsResponse'];
  submitLabel: string;
  running: boolean;
  onSubmit: (terms: Terms) => void;
  idPrefix: string;
}) {
  const { t, tDynamic } = useI18n();
  const [form] = Form.useForm<Values>();
  const [priceError, setPriceError] = useState<string | null>(null);
  const billingUnit = Form.useWatch('billingUnit', form);
  const columns = [...new Set(listing.recipes.flatMap((r) => r.columns))];
  const start: Values = initial
    ? {
        ...initial,
        priceYuan: formatYuanPlain(initial.priceFen),
        computations: initial.computations ?? undefined,
      }
    : {
        purpose: '',
        columns: listing.delivery === 'compute' ? columns : [],
        recipes: listing.delivery === 'compute' ? listing.recipes.map((r) => r.recipe) : [],
        delivery: listing.delivery,
        billingUnit: listing.billingUnits[0],
        priceYuan: formatYuanPlain(listing.pricing.priceFen),
        periodDays: listing.subscriptionDays ?? 30,
        computations: listing.billingUnits[0] === 'per-computation' ? 1 : undefined,
      };
  const submit = (v: Values) => {
    const fen = parseYuan(v.priceYuan);
    if (fen === null) return setPriceError(t('buyer.terms.priceInvalid'));
    setPriceError(null);
    onSubmit({
      purpose: v.purpose,
      columns: v.columns ?? [],
      recipes: v.recipes ?? [],
      delivery: v.delivery,
      billingUnit: v.billingUnit,
      priceFen: fen.toString(),
      periodDays: v.periodDays,
      computations: v.billingUnit === 'per-computation' ? (v.computations ?? null) : null,
    });
  };
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={start}
      onFinish={submit}
      style={{ maxWidth: 640 }}
    >
      <Form.Item
        name="purpose"
        label={t('buyer.terms.purpose')}
        htmlFor={id('purpose')}
        rules={[{ required: true, message: t('buyer.terms.purposeRequired') }]}
        extra={t('buyer.terms.purposeHelp')}
      >
        <Input.TextArea id={id('purpose')} rows={2} maxLength={500} />
      </Form.Item>
      {listing.delivery === 'compute' && (
        <>
          <Form.Item name="recipes" label={t('buyer.terms.recipes')} htmlFor={id('recipes')}>
            <Select
              id={id('recipes')}
              mode="multiple"
              options={listing.recipes.map((r) => ({ value: r.recipe, label: r.recipe }))}
            />
          </Form.Item>
          <Form.Item name="columns" label={t('buyer.terms.columns')} htmlFor={id('columns')}>
            <Select
              id={id('columns')}
              mode="multiple"
              options={columns.map((c) => ({ value: c, label: c }))}
            />
          </Form.Item>
        </>
      )}
      <Form.Item name="delivery" label={t('buyer.terms.delivery')} htmlFor={id('delivery')}>
        <Select
          id={id('delivery')}
          options={[{ value: listing.delivery, label: tDynamic(`buyer.delivery.${listing.delivery}`) }]}
        />
      </Form.Item>
      <Form.Item name="billingUnit" label={t('buyer.terms.billingUnit')} htmlFor={id('billingUnit')}>
        <Select
          id={id('billingUnit')}
          options={listing.billingUnits.map((u) => ({ value: u, label: tDynamic(`buyer.billingUnit.${u}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="priceYuan"
        label={t('buyer.terms.priceYuan')}
        htmlFor={id('price')}
        validateStatus={priceError ? 'error' : undefined}
        help={
          priceError ?? (billingUnit === 'per-computation' ? t('buyer.terms.pricePerComputation') : undefined)
        }
      >
        <Input id={id('price')} inputMode="decimal" addonBefore="¥" />
      </Form.Item>
      <Form.Item name="periodDays" label={t('buyer.terms.periodDays')} htmlFor={id('periodDays')}>
        <InputNumber id={id('periodDays')} min={1} max={3660} precision={0} />
      </Form.Item>
      {billingUnit === 'per-computation' && (
        <Form.Item name="computations" label={t('buyer.terms.computations')} htmlFor={id('computations')}>
          <InputNumber id={id('computations')} min={1} max={1000} precision={0} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={running}>
        {submitLabel}
      </Button>
    </Form>
  );
}
