import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { CustomFieldDto } from '../../../contracts/customFields.ts';
import type { TeamDto, UserDto } from '../../../contracts/workspaces.ts';
import { api } from '../../app/api.ts';

/** List endpoints answer `{ items: [...] }`; accept a bare array too. */
export function itemsOf<T>(res: { items: T[] } | T[]): T[] {
  return Array.isArray(res) ? res : res.items;
}

export const USERS_KEY = ['users'] as const;
export const TEAMS_KEY = ['teams'] as const;
export const customFieldsKey = (entity: 'contact' | 'company') => ['custom-fields', entity] as const;

export function useUsers() {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: async () => itemsOf(await api.get<{ items: UserDto[] } | UserDto[]>('/api/users')),
    staleTime: 60_000,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: TEAMS_KEY,
    queryFn: async () => itemsOf(await api.get<{ items: TeamDto[] } | TeamDto[]>('/api/teams')),
    staleTime: 60_000,
  });
}

export function useCustomFields(entity: 'contact' | 'company') {
  return useQuery({
    queryKey: customFieldsKey(entity),
    queryFn: async () =>
      itemsOf(
        await api.get<{ items: CustomFieldDto[] } | CustomFieldDto[]>('/api/custom-fields', { entity }),
      ),
    staleTime: 60_000,
  });
}

/** Id → display name for owners and teams (a removed user shows its id rather than nothing). */
export function useNames(): { user: (id: string | null) => string; team: (id: string | null) => string } {
  const users = useUsers();
  const teams = useTeams();
  return useMemo(() => {
    const u = new Map((users.data ?? []).map((x) => [x.id, x.name]));
    const tm = new Map((teams.data ?? []).map((x) => [x.id, x.name]));
    return {
      user: (id) => (id ? (u.get(id) ?? id) : ''),
      team: (id) => (id ? (tm.get(id) ?? id) : ''),
    };
  }, [users.data, teams.data]);
}
