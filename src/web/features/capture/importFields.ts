import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomFields } from '../records/directory.ts';
import type { ImportEntity } from './api.ts';

/** Import target fields with a translated name (keys as the server names them). */
const FIELD_WORDS = {
  contacts: {
    externalId: 'imports.fields.externalId',
    email: 'contacts.fields.email',
    firstName: 'contacts.fields.firstName',
    lastName: 'contacts.fields.lastName',
    fullName: 'imports.fields.fullName',
    phone: 'records.fields.phone',
    title: 'contacts.fields.title',
    company: 'imports.fields.companyName',
    companyDomain: 'imports.fields.companyDomain',
    country: 'records.fields.country',
    language: 'contacts.fields.language',
    tags: 'records.fields.tags',
    owner: 'imports.fields.ownerEmail',
    source: 'imports.fields.source',
    utmSource: 'imports.fields.utmSource',
    utmMedium: 'imports.fields.utmMedium',
    utmCampaign: 'imports.fields.utmCampaign',
    referrer: 'imports.fields.referrer',
    firstTouchAt: 'imports.fields.firstTouchAt',
    createdAt: 'records.fields.createdAt',
  },
  companies: {
    name: 'companies.fields.name',
    domain: 'companies.fields.domain',
    website: 'companies.fields.website',
    industry: 'companies.fields.industry',
    employees: 'companies.fields.employees',
    country: 'records.fields.country',
    phone: 'records.fields.phone',
    tags: 'records.fields.tags',
    owner: 'imports.fields.ownerEmail',
    createdAt: 'records.fields.createdAt',
  },
  touches: {
    'contact.email': 'imports.fields.contactEmail',
    'contact.external_id': 'imports.fields.contactExternalId',
    type: 'touches.fields.type',
    direction: 'touches.fields.direction',
    channel: 'imports.fields.channel',
    occurredAt: 'touches.fields.occurredAt',
    campaignId: 'imports.fields.campaignId',
    subject: 'touches.fields.note',
  },
  deals: {
    'contact.email': 'imports.fields.contactEmail',
    'contact.external_id': 'imports.fields.contactExternalId',
    externalId: 'imports.fields.externalId',
    name: 'deals.fields.name',
    pipeline: 'imports.fields.pipeline',
    stage: 'deals.fields.stage',
    amount: 'deals.fields.amount',
    currency: 'imports.fields.currency',
    expectedCloseOn: 'deals.fields.expectedClose',
    createdAt: 'records.fields.createdAt',
    wonAt: 'imports.fields.wonAt',
    lostAt: 'imports.fields.lostAt',
    lostReason: 'deals.fields.lostReason',
    lostNote: 'deals.fields.lostNote',
    owner: 'imports.fields.ownerEmail',
  },
} as const;

type WordKey = {
  [E in ImportEntity]: (typeof FIELD_WORDS)[E][keyof (typeof FIELD_WORDS)[E]];
}[ImportEntity];

/** Name of a target field in the user's language; custom fields by their own label. */
export function useFieldLabel(entity: ImportEntity): (field: string) => string {
  const { t } = useTranslation();
  const customEntity = entity === 'companies' ? 'company' : 'contact';
  const custom = useCustomFields(customEntity);
  return useMemo(() => {
    const labels = new Map((custom.data ?? []).map((f) => [`custom.${f.key}`, f.label]));
    const words: Record<string, WordKey | undefined> = FIELD_WORDS[entity];
    return (field: string) => {
      const key = words[field];
      if (key) return t(key);
      if (field.startsWith('custom.')) return labels.get(field) ?? field.slice(7);
      return field;
    };
  }, [custom.data, entity, t]);
}
