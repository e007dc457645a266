import type { ContactDto } from '../../../contracts/contacts.ts';

export const CONTACTS = '/api/contacts';
export const contactPath = (id: string) => `/contacts/${id}`;

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** "Anna Schmidt", but "王芳" (family name first, no space) for Chinese, Japanese and Korean names. */
export function contactName(c: Pick<ContactDto, 'firstName' | 'lastName' | 'email'>): string {
  const first = c.firstName?.trim() ?? '';
  const last = c.lastName?.trim() ?? '';
  const name = CJK.test(first + last) ? `${last}${first}` : [first, last].filter(Boolean).join(' ');
  return name || c.email || '';
}
