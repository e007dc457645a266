import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, setCsrfToken } from '../api.ts';
import { applyFieldErrors, useErrorText } from '../errors.ts';
import { ME_KEY } from '../session.tsx';
import { AuthLayout } from './AuthLayout.tsx';

interface SignInValues {
  email: string;
  password: string;
  workspace?: string;
}

export function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SignInValues>();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showWorkspace, setShowWorkspace] = useState(false);

  const submit = async (values: SignInValues) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ csrfToken: string }>('/api/auth/sign-in', {
        email: values.email.trim(),
        password: values.password,
        ...(values.workspace?.trim() ? { workspace: values.workspace.trim() } : {}),
      });
      setCsrfToken(res.csrfToken);
      // The gate sees the session and SignedInRoutes sends /sign-in?next=… on to `next`.
      await qc.resetQueries({ queryKey: ME_KEY });
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['email', 'password', 'workspace']);
      const text = err instanceof ApiError && err.status === 401 ? t('auth.signIn.failed') : errorText(err);
      setError([text, ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('auth.signIn.title')} subtitle={t('auth.signIn.subtitle')}>
      {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
        <Form.Item
          name="email"
          label={t('auth.fields.email')}
          rules={[{ required: true, type: 'email', message: t('validation.email') }]}
        >
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.fields.password')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {showWorkspace ? (
          <Form.Item
            name="workspace"
            label={t('auth.fields.workspace')}
            extra={t('auth.signIn.workspaceHelp')}
          >
            <Input />
          </Form.Item>
        ) : null}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('auth.signIn.submit')}
        </Button>
        {showWorkspace ? null : (
          <Button type="link" block className="auth-secondary" onClick={() => setShowWorkspace(true)}>
            {t('auth.signIn.chooseWorkspace')}
          </Button>
        )}
      </Form>
    </AuthLayout>
  );
}
