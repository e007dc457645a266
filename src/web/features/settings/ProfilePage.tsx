import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Select, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';
import { timeZoneOptions } from '../../app/auth/timeZones.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { applyLocale, LOCALES, type Locale } from '../../app/i18n/index.ts';
import { ME_KEY, useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { MyAbsenceCard } from '../lifecycle/MyAbsenceCard.tsx';

interface ProfileValues {
  name: string;
  locale: Locale;
  timeZone: string;
}

/** The signed-in user's own name, language and time zone (PATCH /api/me). */
export function ProfilePage() {
  const { t } = useTranslation();
  const me = useSession();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProfileValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(() => timeZoneOptions(), []);

  const save = async (v: ProfileValues) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.patch<Me>('/api/me', {
        name: v.name.trim(),
        locale: v.locale,
        timeZone: v.timeZone,
      });
      qc.setQueryData(ME_KEY, updated);
      await applyLocale(v.locale);
      message.success(t('profile.saved'));
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['name', 'locale', 'timeZone']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('nav.profile')} subtitle={t('profile.subtitle')} />
      <Card className="narrow-card">
        <Descriptions
          column={1}
          size="small"
          className="profile-facts"
          items={[
            { key: 'email', label: t('users.fields.email'), children: me.user.email },
            { key: 'role', label: t('users.fields.role'), children: <Tag>{t(`roles.${me.user.role}`)}</Tag> },
            { key: 'workspace', label: t('profile.workspace'), children: me.workspace.name },
          ]}
        />
        {error ? <Alert type="error" showIcon title={error} className="form-alert" /> : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void save(v)}
          initialValues={{ name: me.user.name, locale: me.user.locale, timeZone: me.user.timeZone }}
        >
          <Form.Item
            name="name"
            label={t('users.fields.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item name="locale" label={t('users.fields.language')}>
            <Select options={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
          </Form.Item>
          <Form.Item name="timeZone" label={t('users.fields.timeZone')} extra={t('profile.timeZoneHelp')}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      <MyAbsenceCard />
    </>
  );
}
