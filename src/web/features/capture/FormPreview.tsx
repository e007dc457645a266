import { Button, Card, Checkbox, Input, Segmented, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormLocale } from '../../../contracts/forms.ts';
import { currentLocale } from '../../app/i18n/index.ts';
import { DEFAULT_LABELS, isBuiltInTarget } from './formTargets.ts';
import type { BuilderValues, Localized } from './formValues.ts';

const SUBMIT: Record<FormLocale, string> = { en: 'Submit', 'zh-CN': '提交' };

function pick(l: Localized | undefined, locale: FormLocale): string | undefined {
  const other: FormLocale = locale === 'en' ? 'zh-CN' : 'en';
  return l?.[locale]?.trim() || l?.[other]?.trim() || undefined;
}

/**
 * A sketch of the hosted page as a visitor in either language reads it (labels fall back to the
 * other language, then to the default); the real page is one click away.
 */
export function FormPreview({
  values,
  customLabels,
}: {
  values: Partial<BuilderValues> | undefined;
  customLabels: Map<string, string>;
}) {
  const { t } = useTranslation();
  const [locale, setLocale] = useState<FormLocale>(currentLocale());
  const fields = values?.fields ?? [];
  const labelOf = (target: string, own: Localized | undefined) =>
    pick(own, locale) ??
    (isBuiltInTarget(target)
      ? DEFAULT_LABELS[target][locale]
      : (customLabels.get(target.slice(7)) ?? target));
  const title = pick(values?.title, locale) ?? values?.name;
  return (
    <Card
      size="small"
      title={t('forms.builder.preview')}
      extra={
        <Segmented<FormLocale>
          size="small"
          value={locale}
          onChange={setLocale}
          options={[
            { value: 'en', label: 'EN' },
            { value: 'zh-CN', label: '中文' },
          ]}
        />
      }
      className="form-preview"
      data-testid="form-preview"
    >
      {title ? (
        <Typography.Title level={5} className="form-preview-title">
          {title}
        </Typography.Title>
      ) : null}
      {fields
        .filter((f) => f?.target)
        .map((f) => (
          <div key={f.target} className="form-preview-field">
            <div className="form-preview-label">
              {labelOf(f.target, f.label)}
              {f.required || f.target === 'email' ? <span className="form-preview-required"> *</span> : null}
            </div>
            {f.target === 'country' || f.target === 'language' ? (
              <Select disabled className="full-width" placeholder={pick(f.placeholder, locale)} />
            ) : (
              <Input disabled placeholder={pick(f.placeholder, locale)} />
            )}
          </div>
        ))}
      {values?.consentOn ? (
        <Checkbox disabled className="form-preview-consent">
          {pick(values.consent?.text, locale) ?? '…'}
        </Checkbox>
      ) : null}
      <Button type="primary" disabled block>
        {pick(values?.submitLabel, locale) ?? SUBMIT[locale]}
      </Button>
    </Card>
  );
}
