import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, Flex, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type {
  MarkReadResultDto,
  NotificationDto,
  NotificationPageDto,
} from '../../../contracts/notifications.ts';
import { api } from '../../app/api.ts';
import { useFormat } from '../../app/format.ts';

const NOTIFICATIONS = '/api/notifications';
/** The bell asks again this often; a launch notice is days ahead, so a minute is plenty. */
const POLL_MS = 60_000;

/** Title and text in the reader's language where the kind is known; else what the server stored. */
function useNotificationText() {
  const { t } = useTranslation();
  return (n: NotificationDto): { title: string; body: string | null } => {
    if (n.kind === 'campaign_launch') {
      const d = n.data as {
        campaignName?: string;
        startsOn?: string;
        contacts?: { name: string }[];
        total?: number;
      };
      const names = (d.contacts ?? []).map((c) => c.name);
      const total = d.total ?? names.length;
      const more = total - names.length;
      return {
        title: t('notifications.campaignLaunch.title', {
          name: d.campaignName ?? '',
          date: d.startsOn ?? '',
        }),
        body: t('notifications.campaignLaunch.body', {
          count: total,
          names: names.join(', ') + (more > 0 ? t('notifications.andMore', { count: more }) : ''),
        }),
      };
    }
    return { title: n.title, body: n.body };
  };
}

/** The bell in the header: unread count, the latest notifications, mark read, open the link. */
export function NotificationBell() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const client = useQueryClient();
  const text = useNotificationText();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: [NOTIFICATIONS],
    queryFn: () => api.get<NotificationPageDto>(NOTIFICATIONS, { limit: 20 }),
    refetchInterval: POLL_MS,
  });
  const refresh = () => client.invalidateQueries({ queryKey: [NOTIFICATIONS] });
  const markOne = useMutation({
    mutationFn: (id: string) => api.post<MarkReadResultDto>(`${NOTIFICATIONS}/${id}/read`),
    onSuccess: refresh,
  });
  const markAll = useMutation({
    mutationFn: () => api.post<MarkReadResultDto>(`${NOTIFICATIONS}/read-all`),
    onSuccess: refresh,
  });
  const unread = list.data?.unreadCount ?? 0;
  const items = list.data?.items ?? [];

  const openItem = (n: NotificationDto) => {
    if (!n.readAt) markOne.mutate(n.id);
    setOpen(false);
    if (n.link?.startsWith('/')) navigate(n.link);
  };

  const content = (
    <div className="notification-panel" data-testid="notification-panel">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button size="small" type="link" disabled={!unread} onClick={() => markAll.mutate()}>
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      {items.length ? (
        <List
          size="small"
          dataSource={items}
          style={{ maxHeight: 420, overflow: 'auto' }}
          renderItem={(n) => {
            const { title, body } = text(n);
            return (
              <List.Item
                key={n.id}
                className={n.readAt ? 'notification-read' : 'notification-unread'}
                onClick={() => openItem(n)}
                style={{ cursor: 'pointer', alignItems: 'flex-start' }}
                data-testid="notification-item"
              >
                <List.Item.Meta
                  title={
                    <Typography.Text strong={!n.readAt}>
                      {n.readAt ? null : <Badge status="processing" style={{ marginInlineEnd: 6 }} />}
                      {title}
                    </Typography.Text>
                  }
                  description={
                    <>
                      {body ? <div>{body}</div> : null}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {fmt.shortDateTime(n.createdAt)}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            );
          }}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.none')} />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      content={content}
      styles={{ container: { width: 380 } }}
    >
      <Button
        type="text"
        aria-label={t('notifications.bell', { count: unread })}
        data-testid="notification-bell"
        icon={
          <Badge count={unread} size="small" overflowCount={99}>
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
