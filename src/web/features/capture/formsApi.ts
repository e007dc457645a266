import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { FormDto, FormEmbedDto, FormSubmissionDto } from '../../../contracts/forms.ts';
import { api, type Page } from '../../app/api.ts';
import { FORMS } from './api.ts';

export type FormStatusFilter = 'active' | 'archived' | 'all';

export function useForms(status: FormStatusFilter) {
  return useInfiniteQuery({
    queryKey: [FORMS, 'list', status],
    queryFn: ({ pageParam }) =>
      api.get<Page<FormDto>>(FORMS, {
        status: status === 'all' ? undefined : status,
        limit: 50,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useForm(id: string | undefined) {
  return useQuery({
    queryKey: [FORMS, id],
    queryFn: () => api.get<FormDto>(`${FORMS}/${id}`),
    enabled: Boolean(id),
  });
}

/** Snippets for the server's address as this browser sees it. */
export function useEmbed(id: string) {
  return useQuery({
    queryKey: [FORMS, id, 'embed'],
    queryFn: () => api.get<FormEmbedDto>(`${FORMS}/${id}/embed`, { origin: window.location.origin }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSubmissions(id: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [FORMS, id, 'submissions'],
    queryFn: ({ pageParam }) =>
      api.get<Page<FormSubmissionDto>>(`${FORMS}/${id}/submissions`, {
        limit: 25,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}
