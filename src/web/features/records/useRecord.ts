import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { refreshActivity } from '../touches/api.ts';

interface RecordLike {
  id: string;
  deletedAt: string | null;
}

/**
 * One contact or company. The API answers 404 for a deleted record, so a deleted one is shown
 * from what the screen already had (the Deleted list passes the row along; a delete on the page
 * keeps the returned record), which is what Restore needs.
 */
export function useRecord<T extends RecordLike>(base: string, id: string) {
  const location = useLocation();
  const state = location.state as { record?: T } | null;
  const passed = state?.record?.id === id ? state.record : undefined;
  const qc = useQueryClient();
  return useQuery({
    queryKey: [base, id],
    queryFn: async () => {
      try {
        return await api.get<T>(`${base}/${id}`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          const known = qc.getQueryData<T>([base, id]) ?? passed;
          if (known?.deletedAt) return known;
        }
        throw err;
      }
    },
    initialData: passed?.deletedAt ? passed : undefined,
  });
}

/** Delete and restore, keeping the record on screen and every list up to date. */
export function useDeleteRestore<T extends RecordLike>(base: string, id: string) {
  const qc = useQueryClient();
  const after = async (record: T) => {
    qc.setQueryData([base, id], record);
    await qc.invalidateQueries({ queryKey: [base], predicate: (q) => q.queryKey[1] !== id });
    refreshActivity(qc, base, id);
  };
  const remove = useMutation({ mutationFn: () => api.delete<T>(`${base}/${id}`), onSuccess: after });
  const restore = useMutation({ mutationFn: () => api.post<T>(`${base}/${id}/restore`), onSuccess: after });
  return { remove, restore };
}
