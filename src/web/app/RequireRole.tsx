import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from './permissions.ts';
import { useSession } from './session.tsx';

/** Screens the server would refuse anyway: say so instead of showing a broken page. */
export function RequireRole({ allow, page }: { allow: (role: Role) => boolean; page: ReactNode }) {
  const { t } = useTranslation();
  const me = useSession();
  if (allow(me.user.role)) return page;
  return <Result status="403" title={t('errors.forbiddenTitle')} subTitle={t('errors.forbiddenPage')} />;
}
