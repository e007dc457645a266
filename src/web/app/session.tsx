import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import type { Me } from '../../contracts/workspaces.ts';
import { api } from './api.ts';
import { applyLocale, type Locale } from './i18n/index.ts';

export const ME_KEY = ['me'] as const;
export const SETUP_KEY = ['setup'] as const;

/** The signed-in user and workspace; provided by the app gate to everything inside the shell. */
export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside a signed-in screen');
  return me;
}

export function useOptionalSession(): Me | null {
  return useContext(SessionContext);
}

/**
 * Applies a language at once (strings, Ant Design, dates) and, when signed in, saves it on the
 * user through PATCH /api/me so the next sign-in starts in it.
 */
export function useChangeLocale(): (locale: Locale) => Promise<void> {
  const me = useOptionalSession();
  const qc = useQueryClient();
  return useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      if (!me || me.user.locale === locale) return;
      await api.patch('/api/me', { locale });
      qc.setQueryData<Me>(ME_KEY, (old) => (old ? { ...old, user: { ...old.user, locale } } : old));
    },
    [me, qc],
  );
}
