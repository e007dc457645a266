import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ContactLifecycleDto,
  InboxItemDto,
  MyDayDto,
  SlaReportDto,
  Stage,
  TaskDto,
} from '../../../contracts/lifecycle.ts';
import { api } from '../../app/api.ts';

/** Data hooks of the lifecycle module: a contact's stage panel, My leads, My day, the SLA report. */
export function useContactLifecycle(contactId: string) {
  return useQuery({
    queryKey: ['lifecycle', 'contact', contactId],
    queryFn: () => api.get<ContactLifecycleDto>(`/api/contacts/${contactId}/lifecycle`),
  });
}

export function useLifecycleAction(contactId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      a:
        | { action: 'accept' }
        | { action: 'disqualify' | 'recycle'; reason: string }
        | { action: 'stage'; to: Stage; reason?: string },
    ) => {
      const base = `/api/contacts/${contactId}`;
      if (a.action === 'accept') return api.post<ContactLifecycleDto>(`${base}/accept`);
      if (a.action === 'stage')
        return api.post<ContactLifecycleDto>(`${base}/stage`, {
          to: a.to,
          ...(a.reason ? { reason: a.reason } : {}),
        });
      return api.post<ContactLifecycleDto>(`${base}/${a.action}`, { reason: a.reason });
    },
    onSuccess: (data) => {
      qc.setQueryData(['lifecycle', 'contact', contactId], data);
      void qc.invalidateQueries({ queryKey: ['lifecycle', 'inbox'] });
    },
  });
}

export function useInbox() {
  return useQuery({
    queryKey: ['lifecycle', 'inbox'],
    queryFn: () => api.get<{ items: InboxItemDto[] }>('/api/lifecycle/inbox'),
  });
}

export function useMyDay() {
  return useQuery({
    queryKey: ['lifecycle', 'my-day'],
    queryFn: () => api.get<MyDayDto>('/api/tasks/my-day'),
  });
}

export function useFinishTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; status: 'complete' | 'cancel' }) =>
      api.post<TaskDto>(`/api/tasks/${a.id}/${a.status}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['lifecycle'] }),
  });
}

export function useSlaReport() {
  return useQuery({
    queryKey: ['lifecycle', 'sla'],
    queryFn: () => api.get<SlaReportDto>('/api/lifecycle/sla-report'),
  });
}

export type Temp = 'cold' | 'warm' | 'hot';
