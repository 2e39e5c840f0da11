import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useI18n } from '../../i18n/i18n';

interface Props {
  /** The dialog's title; null keeps it closed. */
  title: string | null;
  okText: string;
  required: boolean;
  running?: boolean;
  onCancel(): void;
  onOk(reason: string | undefined): void;
}

/** Asks for the reason of a decision (required to refuse, suspend or reject; optional otherwise). */
export function ReasonDialog({ title, okText, required, running, onCancel, onOk }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason?: string }>();
  useEffect(() => {
    if (title) form.resetFields();
  }, [title, form]);
  return (
    <Modal
      open={title !== null}
      title={title}
      okText={okText}
      cancelText={t('app.cancel')}
      okButtonProps={{ loading: running }}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((f) => onOk(f.reason?.trim() || undefined))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
        <Form.Item
          name="reason"
          label={required ? t('operator.reason') : t('operator.reasonOptional')}
          rules={[{ required, whitespace: true, max: 500, message: t('operator.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
