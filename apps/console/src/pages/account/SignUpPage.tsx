import { Alert, Button, Card, Checkbox, Form, Input, Radio, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';

interface Fields {
  kind: 'organisation' | 'person';
  name: string;
  identifier: string;
  roles: ('merchant' | 'buyer')[];
  registeredIn: string;
  username: string;
  displayName: string;
  password: string;
}

/** Public: an organisation (unified social credit code) or a natural person (resident ID) signs up, then waits for admission. */
export default function SignUpPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<Fields>();
  const kind = Form.useWatch('kind', form) ?? 'organisation';
  const [done, setDone] = useState<Schemas['SignUpResponse'] | null>(null);
  const signUp = useAction(async (f: Fields) => {
    const body: Schemas['SignUpDto'] = {
      kind: f.kind,
      name: f.name.trim(),
      ...(f.kind === 'organisation'
        ? { creditCode: f.identifier.trim().toUpperCase() }
        : { idNumber: f.identifier.trim().toUpperCase() }),
      roles: f.roles,
      registeredIn: f.registeredIn.trim().toUpperCase(),
      admin: { username: f.username.trim(), password: f.password, displayName: f.displayName.trim() },
    };
    setDone(await unwrap(api.POST('/v1/organisations', { body })));
  }, t('account.signUp.done'));

  return (
    <div style={{ maxWidth: 640, margin: '6vh auto', padding: 16 }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t('account.signUp.title')}
        </Typography.Title>
        {done ? (
          <Result
            status="success"
            title={t('account.signUp.doneTitle', { name: done.organisation.name })}
            subTitle={t('account.signUp.pending')}
            extra={<Link to="/">{t('account.signUp.signIn')}</Link>}
          />
        ) : (
          <Form<Fields>
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={{ kind: 'organisation', roles: ['buyer'], registeredIn: 'CN' }}
            onFinish={(f) => void signUp.run(f)}
          >
            <Form.Item name="kind" label={t('account.signUp.kind')}>
              <Radio.Group
                options={[
                  { value: 'organisation', label: t('account.signUp.kind.organisation') },
                  { value: 'person', label: t('account.signUp.kind.person') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="name"
              label={kind === 'organisation' ? t('account.signUp.orgName') : t('account.signUp.personName')}
              rules={[
                { required: true, whitespace: true, max: 200, message: t('account.signUp.nameRequired') },
              ]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="identifier"
              label={kind === 'organisation' ? t('account.signUp.creditCode') : t('account.signUp.idNumber')}
              extra={
                kind === 'organisation'
                  ? t('account.signUp.creditCodeHint')
                  : t('account.signUp.idNumberHint')
              }
              rules={[{ required: true, len: 18, message: t('account.signUp.identifierRule') }]}
            >
              <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
            <Form.Item
              name="roles"
              label={t('account.signUp.roles')}
              rules={[
                {
                  validator: (_, value: unknown[] | undefined) =>
                    value?.length
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('account.signUp.rolesRequired'))),
                },
              ]}
            >
              <Checkbox.Group
                options={[
                  { value: 'merchant', label: t('role.merchant') },
                  { value: 'buyer', label: t('role.buyer') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="registeredIn"
              label={t('account.signUp.registeredIn')}
              extra={t('account.signUp.registeredInHint')}
              rules={[
                { required: true, pattern: /^[A-Za-z]{2}$/, message: t('account.signUp.registeredInRule') },
              ]}
            >
              <Input maxLength={2} style={{ width: 80 }} />
            </Form.Item>
            <Typography.Title level={2} style={{ fontSize: 18 }}>
              {t('account.signUp.adminTitle')}
            </Typography.Title>
            <Form.Item
              name="username"
              label={t('account.signUp.username')}
              extra={t('account.signUp.usernameHint')}
              rules={[
                {
                  required: true,
                  pattern: /^[a-z0-9][a-z0-9._-]{2,63}$/,
                  message: t('account.signUp.usernameRule'),
                },
              ]}
            >
              <Input autoComplete="username" maxLength={64} />
            </Form.Item>
            <Form.Item
              name="displayName"
              label={t('account.signUp.displayName')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  max: 200,
                  message: t('account.signUp.displayNameRequired'),
                },
              ]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('account.signUp.password')}
              rules={[{ required: true, min: 12, max: 200, message: t('account.passwordRule') }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            {signUp.error && (
              <Alert type="error" showIcon role="alert" message={signUp.error} style={{ marginBottom: 16 }} />
            )}
            <Button type="primary" htmlType="submit" loading={signUp.running} block>
              {t('account.signUp.submit')}
            </Button>
            <Typography.Paragraph style={{ marginTop: 16 }}>
              <Link to="/">{t('account.signUp.haveAccount')}</Link>
            </Typography.Paragraph>
          </Form>
        )}
      </Card>
    </div>
  );
}
