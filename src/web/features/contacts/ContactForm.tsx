import { useQueryClient } from '@tanstack/react-query';
import { Col, Form, Input, Row } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactDto } from '../../../contracts/contacts.ts';
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
import {
  CompanySelect,
  CountrySelect,
  LanguageSelect,
  OwnerSelect,
  TagsSelect,
  TeamSelect,
} from '../records/pickers.tsx';
import { RecordDrawer } from '../records/RecordDrawer.tsx';
import { useSubmit } from '../records/useSubmit.ts';
import { refreshActivity } from '../touches/api.ts';
import { CONTACTS, contactPath } from './api.ts';

interface ContactValues {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  title?: string;
  companyId?: string | null;
  ownerId?: string | null;
  teamId?: string | null;
  country?: string | null;
  language?: string | null;
  tags?: string[];
  custom?: Record<string, FormValue>;
}

const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'title'] as const;
const FIELD_NAMES = [...TEXT_FIELDS, 'companyId', 'ownerId', 'teamId', 'country', 'language', 'tags'];

/** Create (no `contact`) or edit a contact in a drawer; calls onSaved with the stored record. */
export function ContactForm({
  open,
  contact,
  presetCompany,
  onClose,
  onSaved,
}: {
  open: boolean;
  contact?: ContactDto;
  presetCompany?: { id: string; name: string };
  onClose: () => void;
  onSaved: (c: ContactDto) => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const qc = useQueryClient();
  const fields = useCustomFields('contact');
  const [form] = Form.useForm<ContactValues>();
  const customDefs = fields.data ?? [];
  const fieldNames = useMemo(
    () => [...FIELD_NAMES, ...customDefs.map((f) => `custom.${f.key}`)],
    [customDefs],
  );
  const { busy, problem, run } = useSubmit(form, fieldNames, contactPath);
  const editing = Boolean(contact);
  // Chinese forms ask for the family name first.
  const nameOrder =
    i18n.language === 'zh-CN' ? (['lastName', 'firstName'] as const) : (['firstName', 'lastName'] as const);

  const initialValues: ContactValues = contact
    ? {
        firstName: contact.firstName ?? '',
        lastName: contact.lastName ?? '',
        email: contact.email ?? '',
        phone: contact.phone ?? '',
        title: contact.title ?? '',
        companyId: contact.companyId,
        ownerId: contact.ownerId,
        teamId: contact.teamId,
        country: contact.country,
        language: contact.language,
        tags: contact.tags,
        custom: customToForm(customDefs, contact.custom),
      }
    : { ownerId: me.user.id, companyId: presetCompany?.id ?? null, tags: [] };

  const submit = async (values: ContactValues) => {
    const body: Record<string, string | string[] | null | Record<string, CustomValue>> = {};
    for (const key of TEXT_FIELDS) {
      const v = values[key]?.trim() ?? '';
      if (v) body[key] = v;
      else if (editing) body[key] = null;
    }
    for (const key of ['companyId', 'ownerId', 'teamId', 'country', 'language'] as const) {
      const v = values[key] ?? null;
      if (v || editing) body[key] = v;
    }
    body.tags = values.tags ?? [];
    const custom = customFromForm(customDefs, values.custom, editing);
    if (Object.keys(custom).length) body.custom = custom;
    const saved = await run(() =>
      contact
        ? api.patch<ContactDto>(`${CONTACTS}/${contact.id}`, body)
        : api.post<ContactDto>(CONTACTS, body),
    );
    if (!saved) return;
    qc.setQueryData([CONTACTS, saved.id], saved);
    await qc.invalidateQueries({ queryKey: [CONTACTS], predicate: (q) => q.queryKey[1] !== saved.id });
    refreshActivity(qc, CONTACTS, saved.id, saved.companyId);
    if (saved.companyId)
      void qc.invalidateQueries({ queryKey: ['/api/companies', saved.companyId, 'contacts'] });
    onSaved(saved);
  };

  return (
    <RecordDrawer<ContactValues>
      open={open}
      title={editing ? t('contacts.edit') : t('contacts.new')}
      form={form}
      busy={busy}
      problem={problem}
      onClose={onClose}
      onFinish={(v) => void submit(v)}
      initialValues={initialValues}
      testId="contact-form"
    >
      <Row gutter={12}>
        {nameOrder.map((key) => (
          <Col xs={24} sm={12} key={key}>
            <Form.Item name={key} label={t(`contacts.fields.${key}`)}>
              <Input maxLength={100} autoFocus={key === nameOrder[0]} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item
        name="email"
        label={t('contacts.fields.email')}
        rules={[{ type: 'email', message: t('validation.email') }]}
        extra={editing ? null : t('contacts.nameOrEmail')}
      >
        <Input maxLength={254} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="phone" label={t('records.fields.phone')}>
            <Input maxLength={40} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="title" label={t('contacts.fields.title')}>
            <Input maxLength={120} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="companyId" label={t('contacts.fields.company')}>
        <CompanySelect initialName={contact?.companyName ?? presetCompany?.name ?? null} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="country" label={t('records.fields.country')}>
            <CountrySelect />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="language" label={t('contacts.fields.language')}>
            <LanguageSelect />
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
