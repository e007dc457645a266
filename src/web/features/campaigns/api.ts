import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CalendarEntryDto,
  CampaignCreate,
  CampaignDetailDto,
  CampaignDto,
  CampaignMarketCreate,
  CampaignMarketDto,
  CampaignMarketUpdate,
  CampaignMemberDto,
  CampaignSettingsDto,
  CampaignSettingsUpdate,
  CampaignTouchDto,
  CampaignUpdate,
  CostLineCreate,
  CostLineDto,
  MemberAddResultDto,
  MoneyDto,
} from '../../../contracts/campaigns.ts';
import { api, type Page } from '../../app/api.ts';

export const CAMPAIGNS = '/api/campaigns';

export function campaignPath(id: string): string {
  return `/campaigns/${id}`;
}

/** Minor units as money in the reader's language (JPY has no decimals, most currencies two). */
export function formatMoney(m: MoneyDto, locale: string): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency }).format(
    m.amountMinor / 10 ** digits,
  );
}

export function formatMoneyList(list: MoneyDto[], locale: string): string {
  return list.length ? list.map((m) => formatMoney(m, locale)).join(' + ') : '—';
}

export function useCampaigns(filters: { q?: string; status?: string; channel?: string }) {
  return useInfiniteQuery({
    queryKey: [CAMPAIGNS, 'list', filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<CampaignDto>>(CAMPAIGNS, { ...filters, limit: 50, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: [CAMPAIGNS, id],
    queryFn: () => api.get<CampaignDetailDto>(`${CAMPAIGNS}/${id}`),
    enabled: Boolean(id),
  });
}

export function useMembers(id: string) {
  return useInfiniteQuery({
    queryKey: [CAMPAIGNS, id, 'members'],
    queryFn: ({ pageParam }) =>
      api.get<Page<CampaignMemberDto>>(`${CAMPAIGNS}/${id}/members`, {
        limit: 100,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCampaignTouches(id: string) {
  return useInfiniteQuery({
    queryKey: [CAMPAIGNS, id, 'touches'],
    queryFn: ({ pageParam }) =>
      api.get<Page<CampaignTouchDto>>(`${CAMPAIGNS}/${id}/touches`, {
        limit: 50,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCostLines(id: string) {
  return useQuery({
    queryKey: [CAMPAIGNS, id, 'cost-lines'],
    queryFn: () => api.get<CostLineDto[]>(`${CAMPAIGNS}/${id}/cost-lines`),
  });
}

export function useCalendar(q: { from: string; to: string; market?: string; channel?: string }) {
  return useQuery({
    queryKey: [CAMPAIGNS, 'calendar', q],
    queryFn: () => api.get<{ items: CalendarEntryDto[] }>('/api/campaign-calendar', q),
  });
}

/** Every write refreshes every campaign query (lists, page, members, costs). */
export function useCampaignWrites() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: [CAMPAIGNS] });
  return {
    create: useMutation({
      mutationFn: (b: CampaignCreate) => api.post<CampaignDto>(CAMPAIGNS, b),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: CampaignUpdate }) =>
        api.patch<CampaignDto>(`${CAMPAIGNS}/${id}`, body),
      onSuccess,
    }),
    addCost: useMutation({
      mutationFn: ({ id, body }: { id: string; body: CostLineCreate }) =>
        api.post<CostLineDto>(`${CAMPAIGNS}/${id}/cost-lines`, body),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete<null>(`${CAMPAIGNS}/${id}`),
      onSuccess,
    }),
    addMarket: useMutation({
      mutationFn: ({ id, body }: { id: string; body: CampaignMarketCreate }) =>
        api.post<CampaignMarketDto>(`${CAMPAIGNS}/${id}/markets`, body),
      onSuccess,
    }),
    updateMarket: useMutation({
      mutationFn: ({ id, marketId, body }: { id: string; marketId: string; body: CampaignMarketUpdate }) =>
        api.patch<CampaignMarketDto>(`${CAMPAIGNS}/${id}/markets/${marketId}`, body),
      onSuccess,
    }),
    removeMarket: useMutation({
      mutationFn: ({ id, marketId }: { id: string; marketId: string }) =>
        api.delete<null>(`${CAMPAIGNS}/${id}/markets/${marketId}`),
      onSuccess,
    }),
    removeCost: useMutation({
      mutationFn: ({ id, lineId }: { id: string; lineId: string }) =>
        api.delete<null>(`${CAMPAIGNS}/${id}/cost-lines/${lineId}`),
      onSuccess,
    }),
    addMembers: useMutation({
      mutationFn: ({
        id,
        body,
      }: {
        id: string;
        body: { contactIds?: string[]; segmentId?: string; status?: string };
      }) => api.post<MemberAddResultDto>(`${CAMPAIGNS}/${id}/members`, body),
      onSuccess,
    }),
    setStatus: useMutation({
      mutationFn: ({ id, contactId, status }: { id: string; contactId: string; status: string }) =>
        api.patch<CampaignMemberDto>(`${CAMPAIGNS}/${id}/members/${contactId}`, { status }),
      onSuccess,
    }),
  };
}

const SETTINGS = '/api/campaign-settings';

/** The workspace's launch-notice period (a campaign's own noticeDays wins over it). */
export function useCampaignSettings(enabled: boolean) {
  return useQuery({
    queryKey: [SETTINGS],
    queryFn: () => api.get<CampaignSettingsDto>(SETTINGS),
    enabled,
  });
}

export function useSaveCampaignSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignSettingsUpdate) => api.put<CampaignSettingsDto>(SETTINGS, body),
    onSuccess: (data) => qc.setQueryData([SETTINGS], data),
  });
}
