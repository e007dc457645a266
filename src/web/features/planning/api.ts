import { useQuery } from '@tanstack/react-query';
import type {
  AttainmentDto,
  BackwardsInput,
  BackwardsPlanDto,
  DashboardDto,
  ForwardsInputDto,
  ForwardsPlanDto,
  PlanDto,
  PlanInput,
  PlannerRatesDto,
  QuotaBoardDto,
  QuotaDto,
  QuotaInput,
} from '../../../contracts/planning.ts';
import { api } from '../../app/api.ts';

export const PLANNING_KEY = ['planning'] as const;

export function usePlannerRates() {
  return useQuery({
    queryKey: [...PLANNING_KEY, 'rates'],
    queryFn: () => api.get<PlannerRatesDto>('/api/planning/rates'),
  });
}

export const planBackwards = (input: BackwardsInput) =>
  api.post<BackwardsPlanDto>('/api/planning/backwards', input);
export const planForwards = (input: ForwardsInputDto) =>
  api.post<ForwardsPlanDto>('/api/planning/forwards', input);

export function useQuotaBoard(year: number) {
  return useQuery({
    queryKey: [...PLANNING_KEY, 'quotas', year],
    queryFn: () => api.get<QuotaBoardDto>('/api/planning/quotas', { year }),
  });
}

export const saveQuota = (
  year: number,
  userId: string,
  input: Partial<QuotaInput> & { annualMinor: number },
) => api.put<QuotaDto>(`/api/planning/quotas/${year}/${encodeURIComponent(userId)}`, input);

export const saveTeamQuota = (year: number, teamId: string, input: QuotaInput) =>
  api.put<QuotaDto>(`/api/planning/quotas/${year}/teams/${encodeURIComponent(teamId)}`, input);

export function useAttainment(year: number, quarter: number | null) {
  return useQuery({
    queryKey: [...PLANNING_KEY, 'attainment', year, quarter],
    queryFn: () =>
      api.get<AttainmentDto>('/api/planning/attainment', { year, quarter: quarter ?? undefined }),
  });
}

export function usePlan(fromYear: number, toYear: number) {
  return useQuery({
    queryKey: [...PLANNING_KEY, 'plan', fromYear, toYear],
    queryFn: () => api.get<PlanDto>('/api/planning/plan', { fromYear, toYear }),
  });
}

export const savePlan = (input: PlanInput) => api.put<PlanDto>('/api/planning/plan', input);

/** Counts of a plan stay fractional on the server; people read them rounded. */
export const round1 = (n: number): number => Math.round(n * 10) / 10;

export function useDashboard(period: 'month' | 'quarter') {
  return useQuery({
    queryKey: [...PLANNING_KEY, 'dashboard', period],
    queryFn: () => api.get<DashboardDto>('/api/planning/dashboard', { period }),
  });
}
