import { COLUMN_TYPES, UPDATE_FREQUENCIES } from '@app/assets/core';
import {
  AFFECTED_OBJECTS,
  DATA_KINDS,
  DATA_LEVELS,
  HARMS,
  OPEN_ATTRIBUTES,
  SHARE_ATTRIBUTES,
  type AffectedObject,
  type DataKind,
  type DataLevel,
  type Harm,
  type OpenAttribute,
  type ShareAttribute,
} from '@app/compliance';
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
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { LevelTag, useJustification } from './common';
import { assessAsset } from './rules';

interface ColumnValues {
  name?: string;
  type?: (typeof COLUMN_TYPES)[number];
  unit?: string;
  personalInformation?: boolean;
  tradeSecret?: boolean;
  public?: boolean;
}

interface Values {
  title?: string;
  description?: string;
  industry?: string;
  dataKind?: DataKind;
  sourceMethod?: string;
  sourceDescription?: string;
  columns?: ColumnValues[];
  rowCount?: number;
  updateFrequency?: (typeof UPDATE_FREQUENCIES)[number];
  start?: string;
  end?: string;
  affectedObject?: AffectedObject;
  harm?: Harm;
  declaredLevel?: DataLevel | 'none';
  openAttribute?: OpenAttribute;
  shareAttribute?: ShareAttribute;
}

const EMPTY_COLUMN: ColumnValues = {
  name: '',
  type: 'integer',
  unit: '',
  personalInformation: false,
  tradeSecret: false,
  public: false,
};

const INITIAL: Values = {
  dataKind: 'enterprise',
  columns: [EMPTY_COLUMN],
  updateFrequency: 'daily',
  affectedObject: 'rights',
  harm: 'general',
  declaredLevel: 'none',
  openAttribute: 'not-open',
  shareAttribute: 'conditional',
};

/**
 * Registration of an asset: the form, and beside it, as the merchant types, the level DS 21 表1 gives with its
 * reason and the open attributes DE 31 allows — computed in the browser by the same functions the API runs.
 */
export default function AssetFormPage() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const justify = useJustification();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], { form, preserve: true }) as Values | undefined;
  const values: Values = { ...INITIAL, ...watched };
  const [saved, setSaved] = useState<Schemas['AssetResponse'] | null>(null);
  const organisationId = session.principal?.organisationId ?? '';
  const dataKind = values.dataKind ?? 'enterprise';
  const columns = (values.columns ?? []).filter(Boolean);

  // Cheap table lookups: recomputed on every keystroke, which is the point.
  const assessment = assessAsset({
    affectedObject: values.affectedObject ?? 'rights',
    harm: values.harm ?? 'general',
    declaredLevel: values.declaredLevel && values.declaredLevel !== 'none' ? values.declaredLevel : null,
    dataKind,
    columns: columns.map((c, i) => ({
      name: c.name || t('merchant.form.columnN', { n: i + 1 }),
      personalInformation: Boolean(c.personalInformation),
      tradeSecret: Boolean(c.tradeSecret),
    })),
    openAttribute: values.openAttribute ?? null,
    shareAttribute: dataKind === 'public' ? (values.shareAttribute ?? null) : null,
    rights: (['holding', 'processing', 'operation'] as const).map((right) => ({
      right,
      organisationId,
      shareBasisPoints: 10_000,
    })),
  });

  const openReason = (() => {
    const personal = columns.filter((c) => c.personalInformation).map((c) => c.name || '?');
    const secret = columns.filter((c) => c.tradeSecret).map((c) => c.name || '?');
    if (dataKind === 'personal') return t('merchant.open.reasonPersonalData');
    const parts = [
      personal.length ? t('merchant.open.reasonPersonalColumns', { columns: personal.join(', ') }) : '',
      secret.length ? t('merchant.open.reasonSecretColumns', { columns: secret.join(', ') }) : '',
    ].filter(Boolean);
    return parts.length ? parts.join('; ') : t('merchant.open.reasonNone');
  })();

  const save = useAction(async (v: Values) => {
    const body: Schemas['CreateAssetDto'] = {
      title: v.title!,
      description: v.description!,
      industry: v.industry!,
      dataKind: v.dataKind!,
      source: { method: v.sourceMethod!, description: v.sourceDescription! },
      columns: (v.columns ?? []).map((c) => ({
        name: c.name!,
        type: c.type!,
        unit: c.unit ? c.unit : null,
        personalInformation: Boolean(c.personalInformation),
        tradeSecret: Boolean(c.tradeSecret),
        public: Boolean(c.public),
      })),
      rowCount: v.rowCount!,
      updateFrequency: v.updateFrequency!,
      timeRange: { start: v.start!, end: v.end! },
      classification: { affectedObject: v.affectedObject!, harm: v.harm! },
      declaredLevel: v.declaredLevel && v.declaredLevel !== 'none' ? v.declaredLevel : null,
      openAttribute: v.openAttribute!,
      shareAttribute: v.dataKind === 'public' ? (v.shareAttribute ?? null) : null,
      rights: (['holding', 'processing', 'operation'] as const).map((right) => ({
        right,
        organisationId,
        shareBasisPoints: 10_000,
      })),
    };
    const asset = await unwrap(api.POST('/v1/assets', { body }));
    setSaved(asset);
    return asset;
  }, t('merchant.form.saved'));

  const submit = useAction(async (id: string) => {
    await unwrap(api.POST('/v1/assets/{id}/submit', { params: { path: { id } } }));
    await navigate(`/merchant/assets/${id}`);
  }, t('merchant.asset.submitted'));

  const required = [{ required: true, message: t('merchant.form.required') }];

  const panel = (
    <Card
      title={t('merchant.classify.title')}
      role="region"
      aria-label={t('merchant.classify.title')}
      aria-live="polite"
      style={{ position: 'sticky', top: 16 }}
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('merchant.classify.computed')}>
          <span data-testid="live-level" data-level={assessment.computed.level}>
            <LevelTag level={assessment.computed.level} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('merchant.classify.protectedAt')}>
          <span data-testid="live-protected-level" data-level={assessment.level}>
            <LevelTag level={assessment.level} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('merchant.classify.justificationLabel')}>
          {justify(values.affectedObject ?? 'rights', values.harm ?? 'general', assessment.computed.level)}
        </Descriptions.Item>
        <Descriptions.Item label={t('merchant.classify.openAllowed')}>
          <span
            data-testid="live-open-attributes"
            data-attributes={assessment.allowedOpenAttributes.join(',')}
          >
            {assessment.allowedOpenAttributes
              .map((a) => tDynamic(`merchant.open.${a}`))
              .join(t('merchant.separator'))}
          </span>
        </Descriptions.Item>
        <Descriptions.Item
          label={t('merchant.classify.openReason')}
        >{`${openReason} (DE 31)`}</Descriptions.Item>
      </Descriptions>
      {assessment.level !== 'general' && (
        <Alert type="info" showIcon message={t('merchant.classify.securityReviewNeeded')} />
      )}
      {assessment.level === 'core' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          message={t('merchant.classify.coreNotListable')}
        />
      )}
      {assessment.refusal && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          message={`${assessment.refusal.article}: ${tDynamic(`merchant.rule.${assessment.refusal.code}`)}`}
        />
      )}
    </Card>
  );

  if (saved) {
    return (
      <>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('merchant.form.title')}
        </Typography.Title>
        <Card>
          <Descriptions column={1} title={t('merchant.form.savedTitle')}>
            <Descriptions.Item label={t('merchant.asset.title')}>{saved.title}</Descriptions.Item>
            <Descriptions.Item label={t('merchant.classify.serverLevel')}>
              <span data-testid="server-level" data-level={saved.level}>
                <LevelTag level={saved.level} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.classify.justificationLabel')}>
              {justify(saved.classification.affectedObject, saved.classification.harm, saved.computedLevel)}
            </Descriptions.Item>
          </Descriptions>
          <Space>
            <Button type="primary" loading={submit.running} onClick={() => void submit.run(saved.id)}>
              {t('merchant.asset.submit')}
            </Button>
            <Link to={`/merchant/assets/${saved.id}`}>{t('merchant.form.openDetail')}</Link>
          </Space>
        </Card>
      </>
    );
  }

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('merchant.form.title')}
      </Typography.Title>
      <Row gutter={24}>
        <Col xs={24} lg={15}>
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={INITIAL}
            onFinish={(v) => void save.run(v)}
            scrollToFirstError
          >
            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t('merchant.form.basics')}
            </Typography.Title>
            <Form.Item name="title" label={t('merchant.asset.title')} rules={required}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="description" label={t('merchant.asset.description')} rules={required}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
            <Form.Item
              name="industry"
              label={t('merchant.asset.industry')}
              extra={t('merchant.form.industryHint')}
              rules={[
                ...required,
                { pattern: /^[a-z0-9]+(-[a-z0-9]+)*$/, message: t('merchant.form.industryFormat') },
              ]}
            >
              <Input maxLength={64} />
            </Form.Item>
            <Form.Item name="dataKind" label={t('merchant.asset.dataKind')} rules={required}>
              <Radio.Group
                options={DATA_KINDS.map((k) => ({ value: k, label: tDynamic(`merchant.kind.${k}`) }))}
              />
            </Form.Item>
            {dataKind === 'public' && (
              <Form.Item name="shareAttribute" label={t('merchant.asset.shareAttribute')} rules={required}>
                <Radio.Group
                  options={SHARE_ATTRIBUTES.map((a) => ({
                    value: a,
                    label: tDynamic(`merchant.share.${a}`),
                  }))}
                />
              </Form.Item>
            )}
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="sourceMethod" label={t('merchant.asset.sourceMethod')} rules={required}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="updateFrequency"
                  label={t('merchant.asset.updateFrequency')}
                  rules={required}
                >
                  <Select
                    options={UPDATE_FREQUENCIES.map((f) => ({
                      value: f,
                      label: tDynamic(`merchant.frequency.${f}`),
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              name="sourceDescription"
              label={t('merchant.asset.sourceDescription')}
              rules={required}
            >
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
            <Row gutter={16}>
              <Col span={8}>
                <Form.Item name="rowCount" label={t('merchant.asset.rowCount')} rules={required}>
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="start" label={t('merchant.asset.timeStart')} rules={required}>
                  <Input type="date" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="end" label={t('merchant.asset.timeEnd')} rules={required}>
                  <Input type="date" />
                </Form.Item>
              </Col>
            </Row>

            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t('merchant.form.columns')}
            </Typography.Title>
            <Form.List name="columns">
              {(fields, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {fields.map((field, index) => (
                    <fieldset
                      key={field.key}
                      style={{ border: '1px solid #d9d9d9', borderRadius: 8, padding: '4px 16px 12px' }}
                    >
                      <legend
                        style={{ width: 'auto', fontSize: 14, padding: '0 4px', marginBottom: 4, border: 0 }}
                      >
                        {t('merchant.form.columnN', { n: index + 1 })}
                      </legend>
                      <Row gutter={12}>
                        <Col span={9}>
                          <Form.Item
                            name={[field.name, 'name']}
                            label={t('merchant.column.name')}
                            rules={required}
                          >
                            <Input maxLength={100} />
                          </Form.Item>
                        </Col>
                        <Col span={5}>
                          <Form.Item name={[field.name, 'unit']} label={t('merchant.column.unit')}>
                            <Input maxLength={50} />
                          </Form.Item>
                        </Col>
                        <Col span={10}>
                          <Form.Item
                            name={[field.name, 'type']}
                            label={t('merchant.column.type')}
                            rules={required}
                          >
                            <Radio.Group
                              optionType="button"
                              size="small"
                              options={COLUMN_TYPES.map((c) => ({
                                value: c,
                                label: tDynamic(`merchant.columnType.${c}`),
                              }))}
                            />
                          </Form.Item>
                        </Col>
                      </Row>
                      <Space wrap>
                        <Form.Item name={[field.name, 'personalInformation']} valuePropName="checked" noStyle>
                          <Checkbox>{t('merchant.column.personalInformation')}</Checkbox>
                        </Form.Item>
                        <Form.Item name={[field.name, 'tradeSecret']} valuePropName="checked" noStyle>
                          <Checkbox>{t('merchant.column.tradeSecret')}</Checkbox>
                        </Form.Item>
                        <Form.Item name={[field.name, 'public']} valuePropName="checked" noStyle>
                          <Checkbox>{t('merchant.column.public')}</Checkbox>
                        </Form.Item>
                        {fields.length > 1 && (
                          <Button size="small" onClick={() => remove(field.name)}>
                            {t('merchant.form.removeColumn', { n: index + 1 })}
                          </Button>
                        )}
                      </Space>
                    </fieldset>
                  ))}
                  <Button onClick={() => add({ ...EMPTY_COLUMN })}>{t('merchant.form.addColumn')}</Button>
                </Space>
              )}
            </Form.List>

            <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
              {t('merchant.form.classification')}
            </Typography.Title>
            <Form.Item name="affectedObject" label={t('merchant.asset.affectedObject')} rules={required}>
              <Radio.Group
                options={AFFECTED_OBJECTS.map((o) => ({ value: o, label: tDynamic(`merchant.object.${o}`) }))}
              />
            </Form.Item>
            <Form.Item name="harm" label={t('merchant.asset.harm')} rules={required}>
              <Radio.Group
                options={HARMS.map((h) => ({ value: h, label: tDynamic(`merchant.harm.${h}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="declaredLevel"
              label={t('merchant.asset.declaredLevel')}
              extra={t('merchant.form.declaredHint')}
            >
              <Radio.Group
                options={[
                  { value: 'none', label: t('merchant.form.declaredNone') },
                  ...DATA_LEVELS.map((l) => ({ value: l, label: tDynamic(`merchant.level.${l}`) })),
                ]}
              />
            </Form.Item>
            <Form.Item
              name="openAttribute"
              label={t('merchant.asset.openAttribute')}
              extra={t('merchant.form.openHint')}
              rules={[
                ...required,
                {
                  validator: (_, value: OpenAttribute) =>
                    assessment.allowedOpenAttributes.includes(value)
                      ? Promise.resolve()
                      : Promise.reject(new Error(tDynamic('merchant.rule.open_attribute_too_loose'))),
                },
              ]}
            >
              <Radio.Group
                options={OPEN_ATTRIBUTES.map((a) => ({
                  value: a,
                  label: tDynamic(`merchant.open.${a}`),
                  disabled: !assessment.allowedOpenAttributes.includes(a),
                }))}
              />
            </Form.Item>
            <Typography.Paragraph type="secondary">{t('merchant.form.rightsNote')}</Typography.Paragraph>
            <Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={save.running}
                disabled={assessment.refusal !== null || !session.canWrite('merchant')}
              >
                {t('merchant.form.save')}
              </Button>
            </Form.Item>
          </Form>
        </Col>
        <Col xs={24} lg={9}>
          {panel}
        </Col>
      </Row>
    </>
  );
}
