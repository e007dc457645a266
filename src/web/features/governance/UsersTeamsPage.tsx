import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { TeamsTab } from './TeamsTab.tsx';
import { UsersTab } from './UsersTab.tsx';

export function UsersTeamsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'teams' ? 'teams' : 'users';
  return (
    <>
      <PageHeader title={t('nav.usersTeams')} subtitle={t('users.subtitle')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'teams' ? { tab: 'teams' } : {}, { replace: true })}
        items={[
          { key: 'users', label: t('users.tab'), children: <UsersTab /> },
          { key: 'teams', label: t('teams.tab'), children: <TeamsTab /> },
        ]}
      />
    </>
  );
}
