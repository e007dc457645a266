import { TOUCH_TYPES } from '../../../contracts/touches.ts';
import { type DateOrder, parseDate } from './capture.dates.ts';

/**
 * What an import can fill, how a header maps to it, and how a cell becomes a value.
 * Headers are recognised from Tandem's own export, HubSpot and Salesforce exports, and common
 * Chinese headers; the user can override every mapping.
 */
export type ImportEntity = 'contacts' | 'companies' | 'touches' | 'deals';
export const IMPORT_ENTITIES: readonly ImportEntity[] = ['contacts', 'companies', 'touches', 'deals'];

export type FieldKind =
  | 'text'
  | 'email'
  | 'country'
  | 'datetime'
  | 'int'
  | 'tags'
  | 'domain'
  | 'url'
  | 'enum';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  max?: number;
  values?: readonly string[];
  /** Normalised header names (lower-case, no spaces or punctuation) that map here. */
  synonyms: readonly string[];
}

const CONTACT_FIELDS: FieldSpec[] = [
  {
    key: 'externalId',
    kind: 'text',
    max: 200,
    synonyms: ['externalid', 'recordid', 'contactid', 'leadid', 'id', '编号'],
  },
  {
    key: 'email',
    kind: 'email',
    synonyms: [
      'email',
      'emailaddress',
      'mail',
      'workemail',
      '邮箱',
      '电子邮件',
      '电子邮箱',
      '邮件',
      '邮箱地址',
    ],
  },
  { key: 'firstName', kind: 'text', max: 100, synonyms: ['firstname', 'givenname', 'first', '名'] },
  { key: 'lastName', kind: 'text', max: 100, synonyms: ['lastname', 'surname', 'familyname', 'last', '姓'] },
  {
    key: 'fullName',
    kind: 'text',
    max: 200,
    synonyms: ['name', 'fullname', 'contactname', '姓名', '联系人', '客户姓名'],
  },
  {
    key: 'phone',
    kind: 'text',
    max: 40,
    synonyms: [
      'phone',
      'phonenumber',
      'mobile',
      'mobilephone',
      'mobilephonenumber',
      'telephone',
      'tel',
      '电话',
      '手机',
      '手机号',
      '联系电话',
    ],
  },
  { key: 'title', kind: 'text', max: 120, synonyms: ['title', 'jobtitle', 'position', '职位', '职务'] },
  {
    key: 'company',
    kind: 'text',
    max: 200,
    synonyms: [
      'company',
      'companyname',
      'account',
      'accountname',
      'organization',
      'organisation',
      '公司',
      '公司名称',
      '单位',
    ],
  },
  {
    key: 'companyDomain',
    kind: 'domain',
    synonyms: ['companydomain', 'companydomainname', 'domain', 'website', '网站'],
  },
  {
    key: 'country',
    kind: 'country',
    synonyms: [
      'country',
      'countryregion',
      'mailingcountry',
      'billingcountry',
      'countrycode',
      '国家',
      '国家地区',
      '国家和地区',
    ],
  },
  { key: 'language', kind: 'text', max: 10, synonyms: ['language', 'preferredlanguage', '语言'] },
  { key: 'tags', kind: 'tags', synonyms: ['tags', 'tag', '标签'] },
  {
    key: 'owner',
    kind: 'email',
    synonyms: ['owner', 'contactowner', 'leadowner', 'owneremail', '负责人', '销售'],
  },
  {
    key: 'source',
    kind: 'text',
    max: 100,
    synonyms: ['source', 'leadsource', 'originalsource', 'origin', 'sourcechannel', '来源', '渠道'],
  },
  { key: 'utmSource', kind: 'text', max: 200, synonyms: ['utmsource'] },
  { key: 'utmMedium', kind: 'text', max: 200, synonyms: ['utmmedium'] },
  { key: 'utmCampaign', kind: 'text', max: 200, synonyms: ['utmcampaign'] },
  { key: 'referrer', kind: 'url', synonyms: ['referrer', 'referer', 'referringurl'] },
  {
    key: 'firstTouchAt',
    kind: 'datetime',
    synonyms: ['firsttouchat', 'firstcontactdate', 'firstcontact', 'firsttouch', '首次接触', '首次联系'],
  },
  {
    key: 'createdAt',
    kind: 'datetime',
    synonyms: ['createdat', 'createdate', 'createddate', '创建时间', '创建日期'],
  },
];

const COMPANY_FIELDS: FieldSpec[] = [
  {
    key: 'name',
    kind: 'text',
    max: 200,
    synonyms: ['name', 'companyname', 'accountname', 'company', '公司', '公司名称'],
  },
  { key: 'domain', kind: 'domain', synonyms: ['domain', 'companydomainname', 'domainname', '域名'] },
  { key: 'website', kind: 'url', synonyms: ['website', 'websiteurl', 'url', '网站'] },
  { key: 'industry', kind: 'text', max: 100, synonyms: ['industry', '行业'] },
  {
    key: 'employees',
    kind: 'int',
    synonyms: ['employees', 'numberofemployees', 'employeecount', '员工人数', '规模'],
  },
  {
    key: 'country',
    kind: 'country',
    synonyms: ['country', 'countryregion', 'billingcountry', '国家', '国家地区'],
  },
  { key: 'phone', kind: 'text', max: 40, synonyms: ['phone', 'phonenumber', 'telephone', '电话'] },
  { key: 'tags', kind: 'tags', synonyms: ['tags', 'tag', '标签'] },
  {
    key: 'owner',
    kind: 'email',
    synonyms: ['owner', 'companyowner', 'accountowner', 'owneremail', '负责人'],
  },
  { key: 'createdAt', kind: 'datetime', synonyms: ['createdat', 'createdate', 'createddate', '创建时间'] },
];

const TOUCH_FIELDS: FieldSpec[] = [
  { key: 'contact.email', kind: 'email', synonyms: ['contactemail', 'email', 'emailaddress', '邮箱'] },
  {
    key: 'contact.external_id',
    kind: 'text',
    max: 200,
    synonyms: ['contactexternalid', 'externalid', 'contactid'],
  },
  {
    key: 'type',
    kind: 'enum',
    values: TOUCH_TYPES,
    synonyms: ['type', 'touchtype', 'activitytype', '类型'],
  },
  { key: 'direction', kind: 'enum', values: ['marketing', 'sales'], synonyms: ['direction'] },
  { key: 'channel', kind: 'text', max: 40, synonyms: ['channel', '渠道'] },
  {
    key: 'occurredAt',
    kind: 'datetime',
    synonyms: ['occurredat', 'date', 'timestamp', 'activitydate', 'time', '时间', '日期'],
  },
  { key: 'campaignId', kind: 'text', max: 64, synonyms: ['campaignid', 'campaign'] },
  { key: 'subject', kind: 'text', max: 500, synonyms: ['subject', 'note', 'notes', 'description', '备注'] },
];

/**
 * Deals: `amount` is read with the row's currency and `stage`/`pipeline` against the workspace's
 * pipelines when the row is finished (capture.deals.ts), so both are plain text here. Headers
 * include Tandem's own deal export, HubSpot and Salesforce deal/opportunity exports.
 */
const DEAL_FIELDS: FieldSpec[] = [
  { key: 'contact.email', kind: 'email', synonyms: ['contactemail', 'email', 'emailaddress', '邮箱'] },
  {
    key: 'contact.external_id',
    kind: 'text',
    max: 200,
    synonyms: ['contactexternalid', 'contactid', 'contactrecordid'],
  },
  {
    key: 'externalId',
    kind: 'text',
    max: 200,
    synonyms: ['externalid', 'dealid', 'opportunityid', 'recordid', 'id', '编号'],
  },
  {
    key: 'name',
    kind: 'text',
    max: 300,
    synonyms: ['name', 'dealname', 'opportunityname', 'deal', 'title', '商机', '商机名称'],
  },
  { key: 'pipeline', kind: 'text', max: 200, synonyms: ['pipeline', 'dealpipeline', '管道'] },
  {
    key: 'stage',
    kind: 'text',
    max: 200,
    synonyms: ['stage', 'dealstage', 'stagename', 'opportunitystage', '阶段', '销售阶段'],
  },
  { key: 'amount', kind: 'text', max: 40, synonyms: ['amount', 'dealamount', 'dealvalue', 'value', '金额'] },
  {
    key: 'currency',
    kind: 'text',
    max: 10,
    synonyms: ['currency', 'currencycode', 'dealcurrency', 'opportunitycurrency', '币种', '货币'],
  },
  {
    key: 'expectedCloseOn',
    kind: 'datetime',
    synonyms: ['expectedcloseon', 'expectedclosedate', 'closedate', '预计成交日期'],
  },
  {
    key: 'createdAt',
    kind: 'datetime',
    synonyms: ['createdat', 'createdate', 'createddate', '创建时间', '创建日期'],
  },
  { key: 'wonAt', kind: 'datetime', synonyms: ['wonat', 'wondate', 'closedwondate', '赢单日期', '成交日期'] },
  { key: 'lostAt', kind: 'datetime', synonyms: ['lostat', 'lostdate', 'closedlostdate', '输单日期'] },
  { key: 'lostReason', kind: 'text', max: 100, synonyms: ['lostreason', 'closedlostreason', '输单原因'] },
  { key: 'lostNote', kind: 'text', max: 2000, synonyms: ['lostnote'] },
  {
    key: 'owner',
    kind: 'email',
    synonyms: ['owner', 'dealowner', 'opportunityowner', 'owneremail', '负责人', '销售'],
  },
];

export const FIELD_SPECS: Record<ImportEntity, FieldSpec[]> = {
  contacts: CONTACT_FIELDS,
  companies: COMPANY_FIELDS,
  touches: TOUCH_FIELDS,
  deals: DEAL_FIELDS,
};

/** Required per entity: at least one of these must be mapped or set. */
export const REQUIRED_ANY: Record<ImportEntity, string[]> = {
  contacts: ['email', 'externalId', 'firstName', 'lastName', 'fullName'],
  companies: ['name'],
  touches: ['contact.email', 'contact.external_id'],
  deals: ['contact.email', 'contact.external_id'],
};

export function normaliseHeader(h: string): string {
  return h
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s_\-./:()#*]+/g, '');
}

/**
 * The field a `--map`/`--set` target names: its key exactly, or the same key written another way
 * (`won_at`, `Won At` → `wonAt`; `first_touch_at` → `firstTouchAt`). `custom.<key>` stays as given.
 */
export function fieldKey(entity: ImportEntity, field: string): string | null {
  if (field.startsWith('custom.')) return field;
  const exact = FIELD_SPECS[entity].find((f) => f.key === field);
  if (exact) return exact.key;
  const n = normaliseHeader(field);
  return FIELD_SPECS[entity].find((f) => normaliseHeader(f.key) === n)?.key ?? null;
}

/** The spec for a target field, including `custom.<key>` (typed by the workspace's definition). */
export function specFor(
  entity: ImportEntity,
  key: string,
  customKinds: Map<string, FieldKind>,
): FieldSpec | null {
  if (key.startsWith('custom.')) {
    const kind = customKinds.get(key.slice(7)) ?? 'text';
    return { key, kind, max: 2000, synonyms: [] };
  }
  return FIELD_SPECS[entity].find((f) => f.key === key) ?? null;
}

/**
 * Suggests a target field for each column (null = not imported). A column whose header is a
 * custom field key or label maps to that custom field. Each field is used at most once.
 */
export function autoMap(
  entity: ImportEntity,
  columns: string[],
  customFields: { key: string; label: string }[] = [],
): (string | null)[] {
  const used = new Set<string>();
  const specs = FIELD_SPECS[entity];
  return columns.map((col) => {
    // Tandem's own export names custom columns custom.<key>.
    const exported = /^custom\.([a-z][a-z0-9_]{0,39})$/.exec(col.trim());
    // Deals keep custom values without definitions: any exported custom.<key> column maps back.
    const known = entity === 'deals' || customFields.some((c) => c.key === exported?.[1]);
    if (exported && known && !used.has(col.trim())) {
      used.add(col.trim());
      return col.trim();
    }
    const n = normaliseHeader(col);
    const custom = customFields.find((c) => normaliseHeader(c.key) === n || normaliseHeader(c.label) === n);
    const key = custom
      ? `custom.${custom.key}`
      : specs.find((s) => s.synonyms.includes(n) || normaliseHeader(s.key) === n)?.key;
    if (!key || used.has(key)) return null;
    used.add(key);
    return key;
  });
}

let countryIndex: Map<string, string> | undefined;

/** Country names in English and Chinese (and ISO codes) to ISO 3166-1 alpha-2, from ICU's own data. */
function countries(): Map<string, string> {
  if (countryIndex) return countryIndex;
  const idx = new Map<string, string>();
  const en = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const zh = new Intl.DisplayNames(['zh-CN'], { type: 'region', fallback: 'none' });
  const A = 65;
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      const name = en.of(code);
      if (!name || name === code) continue;
      // ICU also names deprecated codes (DD and DE are both "Germany", UK is "United Kingdom"):
      // each maps to its current code, whichever comes first in the alphabet.
      const canonical = Intl.getCanonicalLocales(`und-${code}`)[0]!.slice(4);
      idx.set(code.toLowerCase(), canonical);
      if (canonical !== code) continue;
      idx.set(normaliseHeader(name), code);
      const zhName = zh.of(code);
      if (zhName) idx.set(normaliseHeader(zhName), code);
    }
  }
  for (const [alias, code] of Object.entries({
    usa: 'US',
    unitedstatesofamerica: 'US',
    uk: 'GB',
    england: 'GB',
    greatbritain: 'GB',
    prc: 'CN',
    中国大陆: 'CN',
    deutschland: 'DE',
    brasil: 'BR',
    españa: 'ES',
    россия: 'RU',
    southkorea: 'KR',
    korea: 'KR',
    uae: 'AE',
  })) {
    idx.set(alias, code);
  }
  countryIndex = idx;
  return idx;
}

export type CellResult =
  | { ok: true; value: string | number | string[] | Date }
  | { ok: false; error: string };

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

export interface CellContext {
  timeZone: string;
  dateOrder?: DateOrder | undefined;
  selectOptions?: Map<string, string[]>;
}

/** Converts one non-blank cell to a field value, or says what is wrong with it. */
export function convertCell(spec: FieldSpec, raw: string, ctx: CellContext): CellResult {
  const v = raw.trim();
  if (spec.max && v.length > spec.max) return { ok: false, error: `is longer than ${spec.max} characters` };
  switch (spec.kind) {
    case 'text':
      return { ok: true, value: v };
    case 'email':
      return EMAIL.test(v) && v.length <= 254
        ? { ok: true, value: v.toLowerCase() }
        : { ok: false, error: 'is not a valid e-mail address' };
    case 'country': {
      const code = countries().get(normaliseHeader(v));
      return code ? { ok: true, value: code } : { ok: false, error: 'is not a known country' };
    }
    case 'datetime': {
      const d = parseDate(v, ctx.timeZone, ctx.dateOrder);
      return d.ok ? { ok: true, value: d.value } : d;
    }
    case 'int': {
      const n = Number(v.replace(/[,\s]/g, ''));
      return Number.isInteger(n) && n >= 0 && n <= 2_000_000_000
        ? { ok: true, value: n }
        : { ok: false, error: 'is not a whole number' };
    }
    case 'tags': {
      const tags = [
        ...new Set(
          v
            .split(/[;,|]/)
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ];
      if (tags.some((t) => t.length > 50)) return { ok: false, error: 'has a tag longer than 50 characters' };
      return { ok: true, value: tags.slice(0, 50) };
    }
    case 'domain': {
      const d = v
        .toLowerCase()
        .replace(/^https?:\/\//, '')
        .replace(/^www\./, '')
        .replace(/\/.*$/, '');
      return DOMAIN.test(d)
        ? { ok: true, value: d }
        : { ok: false, error: 'is not a domain such as acme.com' };
    }
    case 'url':
      return URL.canParse(v) && v.length <= 2000
        ? { ok: true, value: v }
        : { ok: false, error: 'is not a URL' };
    case 'enum':
      return spec.values?.includes(v.toLowerCase()) || /^other:[a-z0-9_]{1,40}$/.test(v)
        ? { ok: true, value: v.toLowerCase() }
        : { ok: false, error: `must be one of ${spec.values?.join(', ')}` };
  }
}
