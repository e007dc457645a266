import { useQuery } from '@tanstack/react-query';
import type {
  LifecycleSettings,
  OverflowItemDto,
  PlaybookDto,
  RepDto,
  RoutingRuleDto,
} from '../../../contracts/lifecycle.ts';
import { api } from '../../app/api.ts';

/**
 * Data hooks of the qualification admin screens (routing, teams, overflow queue, playbooks, lead
 * settings). Every key starts with 'lifecycle' so one invalidation refreshes the inboxes too.
 */
export const RULES_KEY = ['lifecycle', 'routing-rules'] as const;
export const TEAM_MANAGERS_KEY = ['lifecycle', 'teams'] as const;
export const REPS_KEY = ['lifecycle', 'reps'] as const;
export const OVERFLOW_KEY = ['lifecycle', 'overflow'] as const;
export const PLAYBOOKS_KEY = ['lifecycle', 'playbooks'] as const;
export const SETTINGS_KEY = ['lifecycle', 'settings'] as const;

export function useRoutingRules() {
  return useQuery({
    queryKey: RULES_KEY,
    queryFn: async () => (await api.get<{ items: RoutingRuleDto[] }>('/api/lifecycle/routing-rules')).items,
  });
}

export function useTeamManagers() {
  return useQuery({
    queryKey: TEAM_MANAGERS_KEY,
    queryFn: async () => {
      const res = await api.get<{ items: { teamId: string; managerId: string | null }[] }>(
        '/api/lifecycle/teams',
      );
      return new Map(res.items.map((r) => [r.teamId, r.managerId]));
    },
  });
}

export function useReps() {
  return useQuery({
    queryKey: REPS_KEY,
    queryFn: async () => (await api.get<{ items: RepDto[] }>('/api/lifecycle/reps')).items,
  });
}

export function useOverflow() {
  return useQuery({
    queryKey: OVERFLOW_KEY,
    queryFn: async () => (await api.get<{ items: OverflowItemDto[] }>('/api/lifecycle/overflow')).items,
  });
}

export function usePlaybooks() {
  return useQuery({
    queryKey: PLAYBOOKS_KEY,
    queryFn: async () => (await api.get<{ items: PlaybookDto[] }>('/api/lifecycle/playbooks')).items,
  });
}

export function useLeadSettings() {
  return useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: () => api.get<LifecycleSettings>('/api/lifecycle/settings'),
  });
}

/** Saved segments for the playbook picker (the first 200 by name is plenty for a picker). */
export function useSegmentOptions() {
  return useQuery({
    queryKey: ['lifecycle', 'segment-options'],
    queryFn: async () =>
      (await api.get<{ items: { id: string; name: string }[] }>('/api/segments', { limit: 200 })).items,
    staleTime: 60_000,
  });
}

/** Comma- or line-separated text (what admins paste) to a clean list. */
export function splitList(value: string[] | string | undefined): string[] {
  const parts = Array.isArray(value) ? value : (value ?? '').split(/[,\n]/);
  return parts.map((p) => p.trim()).filter(Boolean);
}
