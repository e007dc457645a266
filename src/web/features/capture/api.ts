import { useQuery } from '@tanstack/react-query';
import type { ImportCreate, ImportDto, ImportPreviewDto } from '../../../contracts/capture.ts';
import { api } from '../../app/api.ts';

export type ImportEntity = ImportDto['entity'];
export const IMPORT_ENTITIES: readonly ImportEntity[] = ['contacts', 'companies', 'touches', 'deals'];
export const IMPORTS = '/api/imports';
export const FORMS = '/api/forms';

export const importPath = (id: string) => `/capture/imports/${id}`;
export const formPath = (id: string) => `/capture/forms/${id}`;
export const exportUrl = (entity: ImportEntity) => `/api/exports/${entity}`;
export const rejectsUrl = (importId: string) => `${IMPORTS}/${importId}/rejects`;

export function isImportEntity(v: unknown): v is ImportEntity {
  return typeof v === 'string' && (IMPORT_ENTITIES as readonly string[]).includes(v);
}

export const isFinished = (s: ImportDto['status']) =>
  s === 'completed' || s === 'validated' || s === 'failed';

export interface Upload {
  fileId: string;
  fileName: string;
  bytes: number;
}

export interface PreviewRequest {
  fileId: string;
  entity: ImportEntity;
  map?: Record<string, string>;
  dateOrder?: 'DMY' | 'MDY';
  hasHeader?: boolean;
}

export const uploadImportFile = (file: File, onProgress?: (f: number) => void) =>
  api.upload<Upload>(`${IMPORTS}/files`, file, onProgress);
export const previewImport = (req: PreviewRequest) => api.post<ImportPreviewDto>(`${IMPORTS}/preview`, req);
/** Campaigns an import can link to (newest first): contacts become members, touches carry it. */
export function useCampaignChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['/api/campaigns', 'choices'],
    queryFn: () =>
      api.get<{ items: { id: string; name: string; channel: string }[] }>('/api/campaigns?limit=200'),
    enabled,
  });
}

export const startImport = (req: Partial<ImportCreate> & PreviewRequest) => api.post<ImportDto>(IMPORTS, req);

/** One import, polled every second until it has finished. */
export function useImport(id: string) {
  return useQuery({
    queryKey: [IMPORTS, id],
    queryFn: () => api.get<ImportDto>(`${IMPORTS}/${id}`),
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : 1000),
    staleTime: 0,
  });
}

/** Recent imports, refreshed while one of them is still running. */
export function useImports() {
  return useQuery({
    queryKey: [IMPORTS, 'list'],
    queryFn: () => api.get<{ items: ImportDto[] }>(IMPORTS),
    refetchInterval: (q) => (q.state.data?.items.some((i) => !isFinished(i.status)) ? 2000 : false),
  });
}

/**
 * How a column is named to the server: by its header when that is unambiguous, else by its
 * 1-based position (a file without a header row, or two columns with the same header).
 */
export function columnKey(columns: string[], index: number): string {
  const header = columns[index] ?? '';
  return header && !/^\d+$/.test(header) && columns.indexOf(header) === index ? header : String(index + 1);
}

/** The whole mapping as the server's `map`: every column named, '' for "don't import". */
export function mapOf(columns: string[], mapping: (string | null)[]): Record<string, string> {
  const out: Record<string, string> = {};
  columns.forEach((_c, i) => {
    out[columnKey(columns, i)] = mapping[i] ?? '';
  });
  return out;
}

/** At least one of these must be mapped for each kind of import (the server says the same). */
export const REQUIRED_ANY: Record<ImportEntity, readonly string[]> = {
  contacts: ['email', 'externalId', 'firstName', 'lastName', 'fullName'],
  companies: ['name'],
  touches: ['contact.email', 'contact.external_id'],
  deals: ['contact.email', 'contact.external_id'],
};

export const DATE_FIELDS = new Set([
  'firstTouchAt',
  'createdAt',
  'occurredAt',
  'wonAt',
  'lostAt',
  'expectedCloseOn',
]);
