import {
  type BuiltInTarget,
  COMPANY_TARGETS,
  CONTACT_TARGETS,
  type FormLocale,
} from '../../../contracts/forms.ts';

/**
 * The labels a hosted form shows for a field left without its own label: the same words the server
 * uses, in both page languages (a form's language is the visitor's, not the builder's).
 */
export const DEFAULT_LABELS: Record<BuiltInTarget, Record<FormLocale, string>> = {
  email: { en: 'E-mail', 'zh-CN': '电子邮箱' },
  firstName: { en: 'First name', 'zh-CN': '名' },
  lastName: { en: 'Last name', 'zh-CN': '姓' },
  phone: { en: 'Phone', 'zh-CN': '电话' },
  title: { en: 'Job title', 'zh-CN': '职位' },
  country: { en: 'Country', 'zh-CN': '国家/地区' },
  language: { en: 'Language', 'zh-CN': '语言' },
  company: { en: 'Company', 'zh-CN': '公司' },
  'company.domain': { en: 'Company domain', 'zh-CN': '公司域名' },
  'company.website': { en: 'Website', 'zh-CN': '公司网站' },
  'company.industry': { en: 'Industry', 'zh-CN': '行业' },
  'company.employees': { en: 'Number of employees', 'zh-CN': '员工人数' },
};

export { COMPANY_TARGETS, CONTACT_TARGETS };

export function isBuiltInTarget(target: string): target is BuiltInTarget {
  return target in DEFAULT_LABELS;
}
