import {
  AimOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  CommentOutlined,
  ControlOutlined,
  DashboardOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  InboxOutlined,
  LockOutlined,
  MailOutlined,
  NotificationOutlined,
  OrderedListOutlined,
  PercentageOutlined,
  RiseOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShoppingOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from './permissions.ts';
import {
  canImport,
  canManageCustomFields,
  canManagePlaybooks,
  canManageRouting,
  canReadPlanning,
  canReadReports,
  canUsePlanner,
  isAdmin,
} from './permissions.ts';

/** Modules that exist only as a "Coming soon" page, with the key of their description. */
export type SoonKey =
  | 'dashboard'
  | 'campaigns'
  | 'segments'
  | 'qualification'
  | 'email'
  | 'pipeline'
  | 'quotes'
  | 'content'
  | 'feedback'
  | 'analytics'
  | 'planning'
  | 'privacy';

export type NavKey =
  | SoonKey
  | 'contacts'
  | 'campaignList'
  | 'campaignCalendar'
  | 'companies'
  | 'capture'
  | 'forms'
  | 'imports'
  | 'governance'
  | 'auditLog'
  | 'usersTeams'
  | 'settings'
  | 'profile'
  | 'customFields'
  | 'quoteList'
  | 'products'
  | 'priceLists'
  | 'quoteSettings'
  | 'myLeads'
  | 'myDay'
  | 'slaReport'
  | 'scoringRules'
  | 'routing'
  | 'playbooks'
  | 'leadSettings'
  | 'planner'
  | 'quotaBoard'
  | 'multiYearPlan';

export type NavGroupKey = 'customers' | 'marketing' | 'sales' | 'insight' | 'administration';

export interface NavItem {
  key: NavKey;
  path: string;
  icon: ReactNode;
  /** Only a "Coming soon" page so far. */
  soon?: SoonKey;
  /** Who sees the item; everyone when absent. */
  visible?: (role: Role) => boolean;
  children?: NavItem[];
}

export interface NavGroup {
  key: NavGroupKey | null;
  items: NavItem[];
}

const soon = (key: SoonKey, path: string, icon: ReactNode): NavItem => ({ key, path, icon, soon: key });

/** Every module of the product, in menu order. Built ones route to their pages, the rest to ComingSoon. */
export const NAVIGATION: NavGroup[] = [
  { key: null, items: [{ key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined /> }] },
  {
    key: 'customers',
    items: [
      { key: 'contacts', path: '/contacts', icon: <UserOutlined /> },
      { key: 'companies', path: '/companies', icon: <BankOutlined /> },
    ],
  },
  {
    key: 'marketing',
    items: [
      {
        key: 'campaigns',
        path: '/campaigns',
        icon: <NotificationOutlined />,
        children: [
          { key: 'campaignList', path: '/campaigns', icon: <UnorderedListOutlined /> },
          { key: 'campaignCalendar', path: '/campaign-calendar', icon: <CalendarOutlined /> },
        ],
      },
      {
        key: 'capture',
        path: '/capture',
        icon: <InboxOutlined />,
        children: [
          { key: 'forms', path: '/capture/forms', icon: <FormOutlined /> },
          { key: 'imports', path: '/capture/imports', icon: <CloudUploadOutlined />, visible: canImport },
        ],
      },
      { key: 'segments', path: '/segments', icon: <ClusterOutlined /> },
      {
        key: 'qualification',
        path: '/qualification',
        icon: <ThunderboltOutlined />,
        children: [
          { key: 'myLeads', path: '/qualification/leads', icon: <ThunderboltOutlined /> },
          { key: 'myDay', path: '/qualification/my-day', icon: <CalendarOutlined /> },
          {
            key: 'slaReport',
            path: '/qualification/sla',
            icon: <BarChartOutlined />,
            visible: (role) => role === 'admin' || role === 'sales_manager',
          },
          {
            key: 'scoringRules',
            path: '/qualification/scoring',
            icon: <PercentageOutlined />,
            visible: (role) => role === 'admin' || role === 'marketing',
          },
          {
            key: 'routing',
            path: '/qualification/routing',
            icon: <ApartmentOutlined />,
            visible: canManageRouting,
          },
          {
            key: 'playbooks',
            path: '/qualification/playbooks',
            icon: <OrderedListOutlined />,
            visible: canManagePlaybooks,
          },
          {
            key: 'leadSettings',
            path: '/qualification/settings',
            icon: <ControlOutlined />,
            visible: canManageRouting,
          },
        ],
      },
      soon('email', '/email', <MailOutlined />),
    ],
  },
  {
    key: 'sales',
    items: [
      { key: 'pipeline', path: '/pipeline', icon: <FundProjectionScreenOutlined /> },
      {
        key: 'quotes',
        path: '/quotes',
        icon: <FileTextOutlined />,
        children: [
          { key: 'quoteList', path: '/quotes/list', icon: <FileTextOutlined /> },
          { key: 'products', path: '/quotes/products', icon: <ShoppingOutlined /> },
          { key: 'priceLists', path: '/quotes/price-lists', icon: <TagsOutlined /> },
        ],
      },
      { key: 'content', path: '/content', icon: <FolderOpenOutlined /> },
      { key: 'feedback', path: '/feedback', icon: <CommentOutlined /> },
    ],
  },
  {
    key: 'insight',
    items: [
      { key: 'analytics', path: '/analytics', icon: <BarChartOutlined />, visible: canReadReports },
      {
        key: 'planning',
        path: '/planning',
        icon: <CalendarOutlined />,
        children: [
          { key: 'planner', path: '/planning/planner', icon: <RiseOutlined />, visible: canUsePlanner },
          { key: 'quotaBoard', path: '/planning/quotas', icon: <TrophyOutlined />, visible: canReadPlanning },
          {
            key: 'multiYearPlan',
            path: '/planning/plan',
            icon: <ScheduleOutlined />,
            visible: canReadPlanning,
          },
        ],
      },
    ],
  },
  {
    key: 'administration',
    items: [
      {
        key: 'governance',
        path: '/governance',
        icon: <SafetyOutlined />,
        children: [
          { key: 'auditLog', path: '/governance/audit-log', icon: <AuditOutlined />, visible: isAdmin },
          { key: 'usersTeams', path: '/governance/users', icon: <TeamOutlined />, visible: isAdmin },
          soon('privacy', '/governance/privacy', <LockOutlined />),
        ],
      },
      {
        key: 'settings',
        path: '/settings',
        icon: <SettingOutlined />,
        children: [
          { key: 'profile', path: '/settings/profile', icon: <AimOutlined /> },
          {
            key: 'customFields',
            path: '/settings/custom-fields',
            icon: <AppstoreOutlined />,
            visible: canManageCustomFields,
          },
          { key: 'quoteSettings', path: '/settings/quotes', icon: <PercentageOutlined />, visible: isAdmin },
        ],
      },
    ],
  },
];

/** Flattened leaf items (what routes and the selected-menu lookup need). */
export function navLeaves(groups: NavGroup[] = NAVIGATION): NavItem[] {
  return groups.flatMap((g) => g.items.flatMap((item) => item.children ?? [item]));
}
