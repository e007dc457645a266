import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { OverflowTab } from './OverflowTab.tsx';
import { RoutingRulesTab } from './RoutingRulesTab.tsx';
import { RoutingTeamsTab } from './RoutingTeamsTab.tsx';

/** Admins and sales managers: who gets a new MQL (rules → team → rep) and what overflowed. */
export function RoutingPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.routing')} subtitle={t('routing.subtitle')} />
      <Tabs
        destroyOnHidden
        items={[
          { key: 'rules', label: t('routing.tabs.rules'), children: <RoutingRulesTab /> },
          { key: 'teams', label: t('routing.tabs.teams'), children: <RoutingTeamsTab /> },
          { key: 'overflow', label: t('routing.tabs.overflow'), children: <OverflowTab /> },
        ]}
      />
    </>
  );
}
