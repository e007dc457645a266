import type { ContactDto } from '../../../contracts/contacts.ts';

export const CONTACTS = '/api/contacts';
export const contactPath = (id: string) => `/contacts/${id}`;

export function contactName(c: Pick<ContactDto, 'firstName' | 'lastName' | 'email'>): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ').trim();
  return name || c.email || '';
}
