import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ContentAssetDto,
  ContentListQuery,
  ContentMeta,
  ContentShareDto,
  FUNNEL_STAGES,
} from '../../../contracts/content.ts';
import { api } from '../../app/api.ts';

export const CONTENT = '/api/content';

/** The API sends the stage as a plain string; it is always one of these. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export function contentPath(id: string): string {
  return `/content/${id}`;
}

export function useAssets(filters: ContentListQuery) {
  return useQuery({
    queryKey: [CONTENT, 'list', filters],
    queryFn: () => api.get<{ items: ContentAssetDto[] }>(CONTENT, { ...filters }),
  });
}

export function useAsset(id: string | undefined) {
  return useQuery({
    queryKey: [CONTENT, id],
    queryFn: () => api.get<ContentAssetDto>(`${CONTENT}/${id}`),
    enabled: Boolean(id),
  });
}

export type NewAsset = ContentMeta & ({ file: File } | { url: string });
export type NewVersion = { file: File } | { url: string; note?: string };

/** Writes to the library; each refreshes the list and the asset it touched. */
export function useContentWrites() {
  const qc = useQueryClient();
  const refresh = (a: ContentAssetDto) => {
    qc.setQueryData([CONTENT, a.id], a);
    return qc.invalidateQueries({ queryKey: [CONTENT, 'list'] });
  };
  return {
    create: useMutation({
      mutationFn: (input: NewAsset) => {
        if ('file' in input) {
          const { file, ...meta } = input;
          // The server reads "meta" with the file part, so it goes first.
          return api.upload<ContentAssetDto>(`${CONTENT}/files`, file, undefined, {
            meta: JSON.stringify(meta),
          });
        }
        return api.post<ContentAssetDto>(`${CONTENT}/links`, input);
      },
      onSuccess: refresh,
    }),
    addVersion: useMutation({
      mutationFn: ({ id, version }: { id: string; version: NewVersion }) =>
        'file' in version
          ? api.upload<ContentAssetDto>(`${CONTENT}/${id}/versions`, version.file)
          : api.post<ContentAssetDto>(`${CONTENT}/${id}/versions`, version),
      onSuccess: refresh,
    }),
    share: useMutation({
      mutationFn: ({
        id,
        contactId,
        expiresInDays,
      }: {
        id: string;
        contactId: string;
        expiresInDays?: number;
      }) =>
        api.post<ContentShareDto>(`${CONTENT}/${id}/shares`, {
          contactId,
          ...(expiresInDays ? { expiresInDays } : {}),
        }),
    }),
  };
}
