export const COMPANIES = '/api/companies';
export const companyPath = (id: string) => `/companies/${id}`;
