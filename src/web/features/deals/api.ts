import { useQuery } from '@tanstack/react-query';
import type { DealSettingsDto, PipelineDto } from '../../../contracts/deals.ts';
import { api } from '../../app/api.ts';

export const DEALS = '/api/deals';
export const dealPath = (id: string) => `/pipeline/deals/${id}`;
export const PIPELINES_KEY = ['pipelines'] as const;
export const DEAL_SETTINGS_KEY = ['deal-settings'] as const;
export const BOARD_KEY = ['deals', 'board'] as const;

export function usePipelines() {
  return useQuery({
    queryKey: PIPELINES_KEY,
    queryFn: () => api.get<PipelineDto[]>('/api/pipelines'),
    staleTime: 30_000,
  });
}

export function useDealSettings() {
  return useQuery({
    queryKey: DEAL_SETTINGS_KEY,
    queryFn: () => api.get<DealSettingsDto>('/api/deal-settings'),
    staleTime: 60_000,
  });
}

/** How many decimals a currency's minor unit has, from the browser's own currency data (JPY 0, USD 2). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Minor units as money text in the user's language: 1250000 USD → "$12,500.00". */
export function formatMinor(
  amountMinor: number | null | undefined,
  currency: string,
  locale: string,
): string {
  if (amountMinor === null || amountMinor === undefined) return '';
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** digits);
  } catch {
    return `${(amountMinor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** A decimal amount typed by a person → minor units (rounded to the currency's digits). */
export function toMinor(amount: number | null | undefined, currency: string): number | null {
  if (amount === null || amount === undefined) return null;
  return Math.round(amount * 10 ** minorDigits(currency));
}

export function fromMinor(amountMinor: number | null, currency: string): number | null {
  return amountMinor === null ? null : amountMinor / 10 ** minorDigits(currency);
}

export const ACTIVITY_TYPES = ['call', 'meeting', 'note'] as const;
