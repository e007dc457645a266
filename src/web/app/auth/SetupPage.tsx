import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../api.ts';
import { applyFieldErrors, useErrorText } from '../errors.ts';
import { currentLocale, type Locale } from '../i18n/index.ts';
import { ME_KEY, SETUP_KEY } from '../session.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { timeZoneOptions } from './timeZones.ts';

interface SetupValues {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
  confirm: string;
  timeZone: string;
}

const FIELDS = ['workspaceName', 'name', 'email', 'password', 'timeZone'];

/** First run: creates the workspace and its first admin, then signs in with the same credentials. */
export function SetupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SetupValues>();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => timeZoneOptions(), []);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const submit = async (values: SetupValues) => {
    setBusy(true);
    setError(null);
    const locale: Locale = currentLocale();
    try {
      await api.post('/api/setup', {
        workspaceName: values.workspaceName.trim(),
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        locale,
        timeZone: values.timeZone,
      });
      const res = await api.post<{ csrfToken: string }>('/api/auth/sign-in', {
        email: values.email.trim(),
        password: values.password,
      });
      setCsrfToken(res.csrfToken);
      qc.setQueryData(SETUP_KEY, { needsSetup: false });
      await qc.resetQueries({ queryKey: ME_KEY });
    } catch (err) {
      const rest = applyFieldErrors(form, err, FIELDS);
      setError([errorText(err), ...rest].join(' · '));
      // Someone else finished set-up meanwhile: the gate will show sign-in.
      await qc.invalidateQueries({ queryKey: SETUP_KEY });
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('auth.setup.title')} subtitle={t('auth.setup.subtitle')}>
      {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={{ timeZone: browserZone }}
      >
        <Form.Item
          name="workspaceName"
          label={t('auth.fields.workspaceName')}
          extra={t('auth.setup.workspaceHelp')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoFocus maxLength={120} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('auth.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="name" maxLength={120} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('auth.fields.email')}
          rules={[{ required: true, type: 'email', message: t('validation.email') }]}
        >
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.fields.password')}
          extra={t('auth.setup.passwordHelp')}
          rules={[{ required: true, min: 10, message: t('validation.passwordLength') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.fields.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.required') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('validation.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="timeZone" label={t('auth.fields.timeZone')}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {t('auth.setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
