import {
  DownOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Grid, Layout, Menu, type MenuProps, Tag, Typography } from 'antd';
import { type CSSProperties, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { api, setCsrfToken } from './api.ts';
import { Logo } from './auth/Logo.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NAVIGATION, type NavItem, navLeaves } from './modules.tsx';
import type { Role } from './permissions.ts';
import { useSession } from './session.tsx';

type MenuItem = NonNullable<MenuProps['items']>[number];

const NAV_LINK: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'space-between',
  gap: 8,
};
const SOON_TAG: CSSProperties = {
  marginInlineEnd: 0,
  fontSize: 10,
  lineHeight: '16px',
  padding: '0 5px',
  color: '#c9d4e3',
  background: 'rgba(255, 255, 255, 0.08)',
  borderColor: 'rgba(255, 255, 255, 0.14)',
};
const SIDER: CSSProperties = { position: 'sticky', top: 0, height: '100vh', overflow: 'auto' };
/** On phones the menu slides over the page instead of squeezing it. */
const SIDER_OVERLAY: CSSProperties = {
  position: 'fixed',
  top: 0,
  left: 0,
  height: '100vh',
  overflow: 'auto',
  zIndex: 100,
};

function visibleTo(role: Role) {
  return (item: NavItem) => !item.visible || item.visible(role);
}

/** The signed-in frame: sider with every module (unbuilt ones tagged), header with language and user. */
export function Shell() {
  const { t } = useTranslation();
  const me = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;
  const [collapsed, setCollapsed] = useState(narrow);
  useEffect(() => setCollapsed(narrow), [narrow]);

  const leaves = useMemo(() => navLeaves().filter(visibleTo(me.user.role)), [me.user.role]);
  const selected = leaves.find(
    (l) => location.pathname === l.path || location.pathname.startsWith(`${l.path}/`),
  );
  const parentOf = (key: string | undefined) =>
    NAVIGATION.flatMap((g) => g.items).find((i) => i.children?.some((c) => c.key === key))?.key;
  const selectedParent = parentOf(selected?.key);
  const [openKeys, setOpenKeys] = useState<string[]>(() => (selectedParent ? [selectedParent] : []));
  // Arriving at a page inside a submenu (e.g. "My profile" from the user menu) opens that submenu.
  useEffect(() => {
    if (selectedParent)
      setOpenKeys((keys) => (keys.includes(selectedParent) ? keys : [...keys, selectedParent]));
  }, [selectedParent]);

  const label = (item: NavItem) => (
    <Link to={item.path} style={NAV_LINK}>
      <span className="nav-label">{t(`nav.${item.key}`)}</span>
      {item.soon ? <Tag style={SOON_TAG}>{t('common.soon')}</Tag> : null}
    </Link>
  );
  const items: MenuItem[] = NAVIGATION.map((group): MenuItem | null => {
    const children = group.items
      .map((item): MenuItem | null => {
        if (!item.children) return { key: item.key, icon: item.icon, label: label(item) };
        const kids = item.children.filter(visibleTo(me.user.role));
        if (!kids.length) return null;
        return {
          key: item.key,
          icon: item.icon,
          label: t(`nav.${item.key}`),
          children: kids.map((kid) => ({ key: kid.key, icon: kid.icon, label: label(kid) })),
        };
      })
      .filter((i): i is MenuItem => i !== null);
    if (!group.key) return children[0] ?? null;
    return { type: 'group', key: group.key, label: t(`navGroups.${group.key}`), children };
  }).filter((i): i is MenuItem => i !== null);

  const signOut = async () => {
    try {
      await api.post('/api/auth/sign-out');
    } finally {
      setCsrfToken(null);
      // A full reload drops every cached record of this user.
      window.location.assign('/sign-in');
    }
  };

  return (
    <Layout className="shell">
      <Layout.Sider
        width={256}
        collapsedWidth={narrow ? 0 : 64}
        collapsed={collapsed}
        trigger={null}
        style={narrow ? SIDER_OVERLAY : SIDER}
        theme="dark"
      >
        <Link to="/dashboard" className="shell-brand" aria-label={t('app.name')}>
          <Logo size={28} />
          {collapsed ? null : <span className="shell-brand-name">{t('app.name')}</span>}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected.key] : []}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={(keys) => setOpenKeys(keys)}
          onClick={() => narrow && setCollapsed(true)}
          className="shell-menu"
          style={{ borderInlineEnd: 'none', paddingBottom: 24 }}
        />
      </Layout.Sider>
      {narrow && !collapsed ? (
        <button
          type="button"
          className="shell-mask"
          aria-label={t('shell.collapseMenu')}
          onClick={() => setCollapsed(true)}
        />
      ) : null}
      <Layout>
        <Layout.Header className="shell-header">
          <Flex align="center" gap={12} className="shell-header-left">
            <Button
              type="text"
              aria-label={t(collapsed ? 'shell.expandMenu' : 'shell.collapseMenu')}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed((c) => !c)}
            />
            <Typography.Text strong className="shell-workspace" ellipsis>
              {me.workspace.name}
            </Typography.Text>
          </Flex>
          <Flex align="center" gap={4}>
            <NotificationBell />
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'profile', icon: <UserOutlined />, label: t('nav.profile') },
                  { type: 'divider' },
                  { key: 'signOut', icon: <LogoutOutlined />, label: t('shell.signOut') },
                ],
                onClick: ({ key }) => {
                  if (key === 'profile') navigate('/settings/profile');
                  if (key === 'signOut') void signOut();
                },
              }}
            >
              <Button type="text" className="shell-user" data-testid="user-menu">
                <Avatar size="small" style={{ background: '#1668dc' }}>
                  {me.user.name.slice(0, 1).toUpperCase()}
                </Avatar>
                {narrow ? null : <span>{me.user.name}</span>}
                <DownOutlined className="shell-user-caret" />
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
