import { useQueryClient } from '@tanstack/react-query';
import { Col, Form, Input, InputNumber, Row } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompanyDto } from '../../../contracts/companies.ts';
import { api } from '../../app/api.ts';
import { useSession } from '../../app/session.tsx';
import {
  CustomFieldItems,
  type CustomValue,
  customFromForm,
  customToForm,
  type FormValue,
} from '../records/customFields.tsx';
import { useCustomFields } from '../records/directory.ts';
import { CountrySelect, OwnerSelect, TagsSelect, TeamSelect } from '../records/pickers.tsx';
import { RecordDrawer } from '../records/RecordDrawer.tsx';
import { useSubmit } from '../records/useSubmit.ts';
import { refreshActivity } from '../touches/api.ts';
import { COMPANIES, companyPath } from './api.ts';

interface CompanyValues {
  name?: string;
  domain?: string;
  website?: string;
  industry?: string;
  phone?: string;
  employees?: number | null;
  country?: string | null;
  ownerId?: string | null;
  teamId?: string | null;
  tags?: string[];
  custom?: Record<string, FormValue>;
}

const TEXT_FIELDS = ['name', 'domain', 'website', 'industry', 'phone'] as const;
const FIELD_NAMES = [...TEXT_FIELDS, 'employees', 'country', 'ownerId', 'teamId', 'tags'];

/** Create (no `company`) or edit a company in a drawer. */
export function CompanyForm({
  open,
  company,
  onClose,
  onSaved,
}: {
  open: boolean;
  company?: CompanyDto;
  onClose: () => void;
  onSaved: (c: CompanyDto) => void;
}) {
  const { t } = useTranslation();
  const me = useSession();
  const qc = useQueryClient();
  const fields = useCustomFields('company');
  const [form] = Form.useForm<CompanyValues>();
  const customDefs = fields.data ?? [];
  const fieldNames = useMemo(
    () => [...FIELD_NAMES, ...customDefs.map((f) => `custom.${f.key}`)],
    [customDefs],
  );
  const { busy, problem, run } = useSubmit(form, fieldNames, companyPath);
  const editing = Boolean(company);

  const initialValues: CompanyValues = company
    ? {
        name: company.name,
        domain: company.domain ?? '',
        website: company.website ?? '',
        industry: company.industry ?? '',
        phone: company.phone ?? '',
        employees: company.employees,
        country: company.country,
        ownerId: company.ownerId,
        teamId: company.teamId,
        tags: company.tags,
        custom: customToForm(customDefs, company.custom),
      }
    : { ownerId: me.user.id, tags: [] };

  const submit = async (values: CompanyValues) => {
    const body: Record<string, string | number | string[] | null | Record<string, CustomValue>> = {};
    for (const key of TEXT_FIELDS) {
      const v = values[key]?.trim() ?? '';
      if (v) body[key] = key === 'domain' ? v.toLowerCase() : v;
      else if (editing) body[key] = null;
    }
    for (const key of ['employees', 'country', 'ownerId', 'teamId'] as const) {
      const v = values[key] ?? null;
      if (v !== null || editing) body[key] = v;
    }
    body.tags = values.tags ?? [];
    const custom = customFromForm(customDefs, values.custom, editing);
    if (Object.keys(custom).length) body.custom = custom;
    const saved = await run(() =>
      company
        ? api.patch<CompanyDto>(`${COMPANIES}/${company.id}`, body)
        : api.post<CompanyDto>(COMPANIES, body),
    );
    if (!saved) return;
    qc.setQueryData([COMPANIES, saved.id], saved);
    await qc.invalidateQueries({ queryKey: [COMPANIES], predicate: (q) => q.queryKey[1] !== saved.id });
    refreshActivity(qc, COMPANIES, saved.id);
    onSaved(saved);
  };

  return (
    <RecordDrawer<CompanyValues>
      open={open}
      title={editing ? t('companies.edit') : t('companies.new')}
      form={form}
      busy={busy}
      problem={problem}
      onClose={onClose}
      onFinish={(v) => void submit(v)}
      initialValues={initialValues}
      testId="company-form"
    >
      <Form.Item
        name="name"
        label={t('companies.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
      >
        <Input maxLength={200} autoFocus />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="domain" label={t('companies.fields.domain')} extra={t('companies.domainHelp')}>
            <Input maxLength={253} placeholder={t('companies.domainPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name="website"
            label={t('companies.fields.website')}
            rules={[{ type: 'url', message: t('validation.url') }]}
          >
            <Input maxLength={500} placeholder={t('companies.websitePlaceholder')} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="industry" label={t('companies.fields.industry')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="employees" label={t('companies.fields.employees')}>
            <InputNumber min={0} max={10_000_000} precision={0} className="full-width" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="country" label={t('records.fields.country')}>
            <CountrySelect />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="phone" label={t('records.fields.phone')}>
            <Input maxLength={40} />
          </Form.Item>
        </Col>
      </Row>
      <div className="form-section-title">{t('records.sections.ownership')}</div>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="ownerId" label={t('records.fields.owner')}>
            <OwnerSelect />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="teamId" label={t('records.fields.team')}>
            <TeamSelect />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="tags" label={t('records.fields.tags')} extra={t('records.tagsHelp')}>
        <TagsSelect />
      </Form.Item>
      {customDefs.length ? (
        <>
          <div className="form-section-title">{t('records.sections.custom')}</div>
          <CustomFieldItems fields={customDefs} t={t} />
        </>
      ) : null}
    </RecordDrawer>
  );
}
