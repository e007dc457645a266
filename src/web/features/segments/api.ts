import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type {
  SegmentCreate,
  SegmentDefinition,
  SegmentDto,
  SegmentFieldDto,
  SegmentNode,
  SegmentSnapshotDto,
  SegmentUpdate,
} from '../../../contracts/segments.ts';
import { api, type Page } from '../../app/api.ts';

export const SEGMENTS = '/api/segments';

export function segmentPath(id: string): string {
  return `/segments/${id}`;
}

export function exportUrl(id: string): string {
  return `${SEGMENTS}/${id}/export`;
}

export function useSegments(q: string) {
  return useInfiniteQuery({
    queryKey: [SEGMENTS, 'list', q],
    queryFn: ({ pageParam }) =>
      api.get<Page<SegmentDto>>(SEGMENTS, { ...(q ? { q } : {}), limit: 50, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useSegment(id: string | undefined) {
  return useQuery({
    queryKey: [SEGMENTS, id],
    queryFn: () => api.get<SegmentDto>(`${SEGMENTS}/${id}`),
    enabled: Boolean(id),
  });
}

export function useSegmentFields() {
  return useQuery({
    queryKey: [SEGMENTS, 'fields'],
    queryFn: () => api.get<{ items: SegmentFieldDto[] }>(`${SEGMENTS}/fields`),
    staleTime: 60_000,
  });
}

/** The value after it stopped changing for `ms` (so typing does not send a count per keystroke). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The live count of an unsaved definition, asked again 400 ms after the last edit. */
/**
 * Whether every membership condition names a campaign or segment: a condition just added in a
 * workspace with none to pick is unfinished, not wrong, so the live count waits instead of a 400.
 */
export function isComplete(node: SegmentNode): boolean {
  if (node.kind === 'group') return node.conditions.every(isComplete);
  return node.kind !== 'membership' || node.id !== '';
}

export function useLiveCount(definition: SegmentDefinition) {
  const settled = useDebounced(JSON.stringify(definition), 400);
  return useQuery({
    enabled: isComplete(definition),
    queryKey: [SEGMENTS, 'count', settled],
    queryFn: () =>
      api.post<{ count: number }>(`${SEGMENTS}/count`, {
        definition: JSON.parse(settled) as SegmentDefinition,
      }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useSegmentContacts(id: string | undefined, version: string) {
  return useInfiniteQuery({
    queryKey: [SEGMENTS, id, 'contacts', version],
    queryFn: ({ pageParam }) =>
      api.get<Page<ContactDto>>(`${SEGMENTS}/${id}/contacts`, { limit: 50, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(id),
  });
}

export function useSaveSegment(id: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SegmentCreate & SegmentUpdate) =>
      id ? api.patch<SegmentDto>(`${SEGMENTS}/${id}`, body) : api.post<SegmentDto>(SEGMENTS, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: [SEGMENTS] });
    },
  });
}

export function useSnapshots(id: string | undefined) {
  return useQuery({
    queryKey: [SEGMENTS, id, 'snapshots'],
    queryFn: () => api.get<{ items: SegmentSnapshotDto[] }>(`${SEGMENTS}/${id}/snapshots`),
    enabled: Boolean(id),
  });
}

/** Freezes the segment's current contacts (for a send); the list of snapshots refreshes. */
export function useTakeSnapshot(id: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (purpose: string | null) =>
      api.post<SegmentSnapshotDto>(`${SEGMENTS}/${id}/snapshots`, purpose ? { purpose } : {}),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: [SEGMENTS, id, 'snapshots'] });
    },
  });
}
