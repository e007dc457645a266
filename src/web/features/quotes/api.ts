import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { minorToDecimal } from '../../../contracts/money.ts';
import type {
  PriceListDetailDto,
  PriceListDto,
  ProductDto,
  QuoteDto,
  QuoteSettingsDto,
  QuoteStatus,
} from '../../../contracts/quotes.ts';
import { api, type Page } from '../../app/api.ts';

export const PRODUCTS = '/api/products';
export const PRICE_LISTS = '/api/price-lists';
export const QUOTES = '/api/quotes';
export const QUOTE_SETTINGS = '/api/quote-settings';

export type QuoteListItem = QuoteDto & { dealName: string };

export function useProducts(q: string, active: 'true' | 'false' | 'all' = 'true') {
  return useInfiniteQuery({
    queryKey: [PRODUCTS, 'list', q, active],
    queryFn: ({ pageParam }) =>
      api.get<Page<ProductDto>>(PRODUCTS, { q, active, limit: 100, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function usePriceLists() {
  return useQuery({
    queryKey: [PRICE_LISTS],
    queryFn: () => api.get<{ items: PriceListDto[] }>(PRICE_LISTS).then((r) => r.items),
  });
}

export function usePriceList(id: string | null | undefined) {
  return useQuery({
    queryKey: [PRICE_LISTS, id],
    queryFn: () => api.get<PriceListDetailDto>(`${PRICE_LISTS}/${id}`),
    enabled: Boolean(id),
  });
}

export function useQuotes(filter: { dealId?: string; status?: QuoteStatus }) {
  return useInfiniteQuery({
    queryKey: [QUOTES, 'list', filter],
    queryFn: ({ pageParam }) =>
      api.get<Page<QuoteListItem>>(QUOTES, { ...filter, limit: 50, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useQuote(id: string | undefined) {
  return useQuery({
    queryKey: [QUOTES, id],
    queryFn: () => api.get<QuoteDto>(`${QUOTES}/${id}`),
    enabled: Boolean(id),
  });
}

export function useQuoteSettings() {
  return useQuery({ queryKey: [QUOTE_SETTINGS], queryFn: () => api.get<QuoteSettingsDto>(QUOTE_SETTINGS) });
}

export const quotePath = (id: string) => `/quotes/${id}`;

/** Money for screens: grouped digits in the user's language, the currency's own decimals. */
export function formatMinor(minor: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      minorToDecimal(minor, currency),
    );
  } catch {
    return `${currency} ${minorToDecimal(minor, currency)}`;
  }
}

export const STATUS_COLORS: Record<QuoteStatus, string> = {
  draft: 'default',
  pending_approval: 'orange',
  sent: 'blue',
  accepted: 'green',
  rejected: 'red',
  expired: 'default',
};
