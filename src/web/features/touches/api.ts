import { type QueryClient, useInfiniteQuery } from '@tanstack/react-query';
import type { TimelineItem, TouchDto, TouchInput } from '../../../contracts/touches.ts';
import { api, type Page } from '../../app/api.ts';

export type TimelineKind = 'all' | 'touch' | 'change';
export type RecordBase = '/api/contacts' | '/api/companies';

export interface TimelineFilters {
  kind: TimelineKind;
  type: string | null;
  direction: 'marketing' | 'sales' | null;
}

export const NO_FILTERS: TimelineFilters = { kind: 'all', type: null, direction: null };

/** Every cached page of a record's timeline, whatever the filters: the prefix to invalidate. */
export const timelineKey = (base: string, id: string) => [`${base}/${id}/timeline`] as const;

/** A contact's or company's touches and changes, newest first, 20 at a time ("Load more"). */
export function useTimeline(base: RecordBase, id: string, f: TimelineFilters) {
  // Type and direction only narrow touches: a list of changes ignores them.
  const query = {
    kind: f.kind,
    type: f.kind === 'change' ? undefined : (f.type ?? undefined),
    direction: f.kind === 'change' ? undefined : (f.direction ?? undefined),
    limit: 20,
  };
  return useInfiniteQuery({
    queryKey: [...timelineKey(base, id), query],
    queryFn: ({ pageParam }) =>
      api.get<Page<TimelineItem>>(`${base}/${id}/timeline`, { ...query, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function logTouch(input: TouchInput) {
  return api.post<{ touch: TouchDto; duplicate: boolean }>('/api/touches', input);
}

/**
 * After a record changed: its history and timeline are stale. A touch also shows on the timeline
 * of the contact's company.
 */
export function refreshActivity(qc: QueryClient, base: string, id: string, companyId?: string | null) {
  void qc.invalidateQueries({ queryKey: [`${base}/${id}/history`] });
  void qc.invalidateQueries({ queryKey: timelineKey(base, id) });
  if (companyId) void qc.invalidateQueries({ queryKey: timelineKey('/api/companies', companyId) });
}
