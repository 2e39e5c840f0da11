import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';

type NewComplaint = Schemas['NewComplaintDto'];
const CATEGORIES: NewComplaint['category'][] = [
  'illegal-data-source',
  'privacy-violation',
  'misleading-listing',
  'contract-breach',
  'security-risk',
  'unfair-pricing',
  'other',
];
const SUBJECT_KINDS = ['listing', 'organisation', 'contract'] as const;

interface Fields {
  category: NewComplaint['category'];
  subjectKind?: (typeof SUBJECT_KINDS)[number];
  subjectId?: string;
  statement: string;
  contact?: string;
}

/**
 * Anyone may report a suspected violation (DE 26, DE 60), signed in or not, and follow it with the receipt code it
 * gets once; a signed-in person's complaint is filed under their organisation, and the reported party never sees who.
 */
export default function ComplaintPage() {
  const { t, tDynamic } = useI18n();
  const { principal } = useSession();
  const [filed, setFiled] = useState<Schemas['FiledComplaintResponse'] | null>(null);
  const [status, setStatus] = useState<Schemas['ComplaintStatusResponse'] | null>(null);
  const file = useAction(async (fields: Fields) => {
    const body: NewComplaint = {
      category: fields.category,
      statement: fields.statement.trim(),
      subjectKind: fields.subjectKind ?? null,
      subjectId: fields.subjectId?.trim() || null,
      contact: fields.contact?.trim() || null,
    };
    setFiled(await unwrap(api.POST('/v1/complaints', { body })));
  }, t('account.complaint.filed'));
  const lookup = useAction(async ({ receiptCode }: { receiptCode: string }) => {
    setStatus(await unwrap(api.POST('/v1/complaints/lookup', { body: { receiptCode: receiptCode.trim() } })));
  });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 760 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('account.complaint.title')}
      </Typography.Title>
      <Typography.Paragraph>
        {principal ? t('account.complaint.asOrganisation') : t('account.complaint.anonymous')}
      </Typography.Paragraph>
      {filed ? (
        <Alert
          type="success"
          showIcon
          role="status"
          message={t('account.complaint.receiptTitle')}
          description={
            <Space direction="vertical">
              <Typography.Text copyable strong data-testid="receipt-code">
                {filed.receiptCode}
              </Typography.Text>
              <span>{t('account.complaint.receiptOnce')}</span>
            </Space>
          }
        />
      ) : (
        <Card title={t('account.complaint.fileTitle')}>
          <Form<Fields> layout="vertical" onFinish={(fields) => void file.run(fields)}>
            <Form.Item
              name="category"
              label={t('account.complaint.category')}
              htmlFor="complaint-category"
              rules={[{ required: true, message: t('account.complaint.categoryRequired') }]}
            >
              <Select
                id="complaint-category"
                options={CATEGORIES.map((c) => ({ value: c, label: tDynamic(`regulator.category.${c}`) }))}
              />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item
                name="subjectKind"
                label={t('account.complaint.subjectKind')}
                htmlFor="complaint-subject-kind"
              >
                <Select
                  id="complaint-subject-kind"
                  allowClear
                  style={{ width: 200 }}
                  options={SUBJECT_KINDS.map((k) => ({
                    value: k,
                    label: tDynamic(`regulator.subjectKind.${k}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="subjectId"
                label={t('account.complaint.subjectId')}
                extra={t('account.complaint.subjectIdHint')}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: (_, value?: string) =>
                      !value || getFieldValue('subjectKind')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('account.complaint.subjectKindFirst'))),
                  }),
                ]}
              >
                <Input style={{ width: 360 }} />
              </Form.Item>
            </Space>
            <Form.Item
              name="statement"
              label={t('account.complaint.statement')}
              rules={[
                { required: true, whitespace: true, message: t('account.complaint.statementRequired') },
              ]}
            >
              <Input.TextArea rows={5} maxLength={8000} showCount />
            </Form.Item>
            <Form.Item
              name="contact"
              label={t('account.complaint.contact')}
              extra={t('account.complaint.contactHint')}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={file.running}>
              {t('account.complaint.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Card title={t('account.complaint.lookupTitle')}>
        <Form<{ receiptCode: string }> layout="inline" onFinish={(fields) => void lookup.run(fields)}>
          <Form.Item
            name="receiptCode"
            label={t('account.complaint.receiptCode')}
            rules={[{ required: true, whitespace: true, message: t('account.complaint.receiptRequired') }]}
          >
            <Input style={{ width: 320 }} autoComplete="off" />
          </Form.Item>
          <Button htmlType="submit" loading={lookup.running}>
            {t('account.complaint.lookup')}
          </Button>
        </Form>
        {status && (
          <Descriptions column={1} size="small" style={{ marginTop: 16 }} data-testid="complaint-status">
            <Descriptions.Item label={t('account.complaint.state')}>
              {tDynamic(`regulator.complaintState.${status.state}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('account.complaint.outcome')}>
              {status.outcome ? tDynamic(`regulator.complaintOutcome.${status.outcome}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('account.complaint.note')}>
              {status.publicNote ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('account.complaint.updatedAt')}>
              <DateTime iso={status.updatedAt} />
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
    </Space>
  );
}
