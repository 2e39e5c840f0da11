import { DESTRUCTION_STATES } from '@app/oversight/core';
import { Button, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { PageTitle, OrganisationName } from './common';
import { ShortId } from '../../components/ShortId';
import { useLabel } from '../../components/useLabel';

type Destruction = Schemas['DestructionResponse'];
type State = Destruction['state'];

interface Decision {
  decision: 'approve' | 'refuse';
  reason: string;
}

export default function DestructionsPage() {
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [state, setState] = useState<State | undefined>('requested');
  const [reloadKey, setReloadKey] = useState(0);
  const [deciding, setDeciding] = useState<Destruction | null>(null);
  const [form] = Form.useForm<Decision>();
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/destructions', { params: { query: { after, limit: 20, state } } })),
    [state],
  );
  const decide = useAction(
    async (id: string, body: Decision) =>
      unwrap(api.POST('/v1/destructions/{id}/decision', { params: { path: { id } }, body })),
    (d) => t('regulator.destructions.decided', { state: label('destructionState', d.state) }),
  );
  const mayDecide = session.canWrite('regulator');

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <PageTitle>{t('regulator.destructions.title')}</PageTitle>
      <Typography.Paragraph>{t('regulator.destructions.intro')}</Typography.Paragraph>
      <Form layout="inline">
        <Form.Item label={t('regulator.col.state')} htmlFor="destruction-state">
          <Select<State>
            id="destruction-state"
            allowClear
            placeholder={t('regulator.filter.all')}
            style={{ width: 140 }}
            value={state}
            onChange={setState}
            options={DESTRUCTION_STATES.map((s) => ({ value: s, label: label('destructionState', s) }))}
          />
        </Form.Item>
      </Form>
      <PagedTable<Destruction>
        load={load}
        reloadKey={reloadKey}
        rowKey="id"
        columns={[
          {
            title: t('regulator.supervision.col.asset'),
            dataIndex: 'assetId',
            render: (v: string) => <ShortId id={v} />,
          },
          {
            title: t('regulator.col.organisation'),
            dataIndex: 'organisationId',
            render: (v: string) => <OrganisationName id={v} />,
          },
          {
            title: t('regulator.col.level'),
            dataIndex: 'assetLevel',
            render: (v: string) => label('level', v),
          },
          { title: t('regulator.col.reason'), dataIndex: 'reason' },
          {
            title: t('regulator.col.state'),
            dataIndex: 'state',
            render: (v: string, row) => (
              <Space direction="vertical" size={0}>
                <Tag>{label('destructionState', v)}</Tag>
                {row.decisionReason && (
                  <Typography.Text type="secondary">{row.decisionReason}</Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('regulator.destructions.requestedAt'),
            dataIndex: 'createdAt',
            render: (v: string) => <DateTime iso={v} />,
          },
          {
            title: t('app.actions'),
            key: 'actions',
            render: (_: unknown, row) =>
              mayDecide && row.state === 'requested' && row.needsApproval ? (
                <Button
                  onClick={() => {
                    form.resetFields();
                    setDeciding(row);
                  }}
                >
                  {t('regulator.destructions.decide')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={deciding !== null}
        title={t('regulator.destructions.decideTitle')}
        okText={t('app.submit')}
        cancelText={t('app.cancel')}
        confirmLoading={decide.running}
        onCancel={() => setDeciding(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {t('regulator.destructions.decideFor')} <ShortId id={deciding?.assetId} /> — {deciding?.reason}
        </Typography.Paragraph>
        <Form<Decision>
          form={form}
          layout="vertical"
          initialValues={{ decision: 'approve' }}
          onFinish={(values) => {
            if (!deciding) return;
            void decide.run(deciding.id, values).then((done) => {
              if (!done) return;
              setDeciding(null);
              setReloadKey((k) => k + 1);
            });
          }}
        >
          <Form.Item name="decision" label={t('regulator.destructions.decision')}>
            <Radio.Group
              options={[
                { value: 'approve', label: t('regulator.destructions.approve') },
                { value: 'refuse', label: t('regulator.destructions.refuse') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('regulator.destructions.decisionReason')}
            rules={[{ required: true, whitespace: true, message: t('regulator.required') }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
