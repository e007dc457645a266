import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Page, type Query } from '../../app/api.ts';

/** List state lives in the address bar, so a filtered list can be bookmarked and Back restores it. */
/** Ant Design's column sort state. */
export type SortOrder = 'ascend' | 'descend' | null;

export interface ListParams {
  q: string;
  ownerId: string;
  teamId: string;
  tag: string;
  country: string;
  deleted: 'exclude' | 'only';
  sort: string;
  order: 'asc' | 'desc';
}

const DEFAULT_SORT = 'createdAt';
const DEFAULT_ORDER = 'desc';

export function useListParams(): [ListParams, (patch: Partial<ListParams>) => void, () => void] {
  const [search, setSearch] = useSearchParams();
  const params = useMemo<ListParams>(
    () => ({
      q: search.get('q') ?? '',
      ownerId: search.get('owner') ?? '',
      teamId: search.get('team') ?? '',
      tag: search.get('tag') ?? '',
      country: search.get('country') ?? '',
      deleted: search.get('deleted') === 'only' ? 'only' : 'exclude',
      sort: search.get('sort') ?? DEFAULT_SORT,
      order: search.get('order') === 'asc' ? 'asc' : DEFAULT_ORDER,
    }),
    [search],
  );
  const update = useCallback(
    (patch: Partial<ListParams>) => {
      setSearch(
        (prev) => {
          const next = new URLSearchParams(prev);
          const names: Record<keyof ListParams, string> = {
            q: 'q',
            ownerId: 'owner',
            teamId: 'team',
            tag: 'tag',
            country: 'country',
            deleted: 'deleted',
            sort: 'sort',
            order: 'order',
          };
          for (const [key, value] of Object.entries(patch) as [keyof ListParams, string][]) {
            const isDefault =
              !value ||
              (key === 'deleted' && value === 'exclude') ||
              (key === 'sort' && value === DEFAULT_SORT) ||
              (key === 'order' && value === DEFAULT_ORDER);
            if (isDefault) next.delete(names[key]);
            else next.set(names[key], value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSearch],
  );
  const reset = useCallback(() => setSearch(new URLSearchParams(), { replace: true }), [setSearch]);
  return [params, update, reset];
}

export function hasFilters(p: ListParams): boolean {
  return Boolean(p.q || p.ownerId || p.teamId || p.tag || p.country || p.deleted === 'only');
}

/** Server-side sort state for an Ant Design column. */
export function sortOrderFor(p: ListParams, column: string): SortOrder {
  if (p.sort !== column) return null;
  return p.order === 'asc' ? 'ascend' : 'descend';
}

/** Cursor pages from a list endpoint, loaded one after another ("Load more"). */
export function useRecordList<T>(endpoint: string, p: ListParams, extra: Query = {}) {
  const query: Query = {
    q: p.q,
    ownerId: p.ownerId,
    teamId: p.teamId,
    tag: p.tag,
    country: p.country,
    deleted: p.deleted,
    sort: p.sort,
    order: p.order,
    limit: 50,
    ...extra,
  };
  return useInfiniteQuery({
    queryKey: [endpoint, 'list', query],
    queryFn: ({ pageParam }) => api.get<Page<T>>(endpoint, { ...query, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
