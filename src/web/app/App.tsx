import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, type ConfigProviderProps, theme } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import type { Me } from '../../contracts/workspaces.ts';
import { FullPageError, FullPageSpin } from '../ui/FullPage.tsx';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import { SetupPage } from './auth/SetupPage.tsx';
import { useErrorText } from './errors.ts';
import { applyLocale, currentLocale } from './i18n/index.ts';
import { SignedInRoutes, SignedOutRoutes } from './routes.tsx';
import { ME_KEY, SETUP_KEY, SessionContext } from './session.tsx';

type AntLocale = NonNullable<ConfigProviderProps['locale']>;
/**
 * antd has no package "type", so TypeScript types its ES locale files as CommonJS (a `default`
 * wrapper) while Vite hands over the object itself: accept both.
 */
function localeOf(mod: AntLocale | { default: AntLocale }): AntLocale {
  return 'default' in mod ? mod.default : mod;
}
const ANT_LOCALES = { en: localeOf(enUSModule), 'zh-CN': localeOf(zhCNModule) };

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      staleTime: 15_000,
      // A 4xx will not change by asking again; network blips and 5xx get two more tries.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

const THEME = {
  algorithm: theme.defaultAlgorithm,
  token: { colorPrimary: '#1668dc', borderRadius: 6, fontSize: 14 },
  components: {
    Layout: {
      siderBg: '#0f1f35',
      headerBg: '#ffffff',
      bodyBg: '#f4f6f9',
      headerPadding: '0 20px',
      headerHeight: 56,
    },
    Menu: {
      darkItemBg: '#0f1f35',
      darkSubMenuItemBg: '#0b182a',
      darkGroupTitleColor: '#7b8ba3',
      itemHeight: 36,
      itemMarginBlock: 2,
    },
  },
};

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Themed />
    </QueryClientProvider>
  );
}

function Themed() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'zh-CN' ? ANT_LOCALES['zh-CN'] : ANT_LOCALES.en} theme={THEME}>
      <AntApp>
        <BrowserRouter>
          <Gate />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

/** First run → set-up; no session → sign-in; otherwise the shell with the user's session. */
function Gate() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const setup = useQuery({
    queryKey: SETUP_KEY,
    queryFn: () => api.get<{ needsSetup: boolean }>('/api/setup'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: () => api.get<Me>('/api/me'),
    enabled: setup.data?.needsSetup === false,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  useEffect(() => {
    // Only a session that was there and ended (signed out elsewhere, expired) sends us to sign-in;
    // the gate's own /api/me 401 must not start a refetch loop.
    setUnauthenticatedHandler(() => {
      if (qc.getQueryData(ME_KEY)) void qc.resetQueries({ queryKey: ME_KEY });
    });
    return () => setUnauthenticatedHandler(null);
  }, [qc]);

  // The user's saved language wins once per sign-in; later switches go through useChangeLocale.
  const appliedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!me.data) return;
    setCsrfToken(me.data.csrfToken);
    if (appliedFor.current !== me.data.user.id) {
      appliedFor.current = me.data.user.id;
      if (me.data.user.locale !== currentLocale()) void applyLocale(me.data.user.locale);
    }
  }, [me.data]);

  if (setup.isPending) return <FullPageSpin label={t('app.loading')} />;
  if (setup.isError) {
    return (
      <FullPageError
        title={t('app.unreachable')}
        detail={errorText(setup.error)}
        retryLabel={t('common.retry')}
        onRetry={() => void setup.refetch()}
      />
    );
  }
  if (setup.data.needsSetup) return <SetupPage />;
  if (me.isPending) return <FullPageSpin label={t('app.loading')} />;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) return <SignedOutRoutes />;
    return (
      <FullPageError
        title={t('app.unreachable')}
        detail={errorText(me.error)}
        retryLabel={t('common.retry')}
        onRetry={() => void me.refetch()}
      />
    );
  }
  return (
    <SessionContext.Provider value={me.data}>
      <SignedInRoutes />
    </SessionContext.Provider>
  );
}
