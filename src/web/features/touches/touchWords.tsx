import {
  CloseCircleOutlined,
  ContainerOutlined,
  EditOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FormOutlined,
  MailOutlined,
  NotificationOutlined,
  PhoneOutlined,
  ReadOutlined,
  ScanOutlined,
  SendOutlined,
  TagOutlined,
  TeamOutlined,
  TrophyOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { type BuiltInTouchType, TOUCH_TYPES } from '../../../contracts/touches.ts';

export function isBuiltInType(type: string): type is BuiltInTouchType {
  return (TOUCH_TYPES as readonly string[]).includes(type);
}

/** "Call", "通话"; a workspace's own `other:trade_fair_dinner` reads "trade fair dinner". */
export function touchTypeLabel(type: string, t: TFunction): string {
  if (isBuiltInType(type)) return t(`touches.types.${type}`);
  return type.replace(/^other:/, '').replace(/_/g, ' ');
}

/** What a person logs by hand; the rest come from e-mail, forms, pages and deals. */
export const MANUAL_TYPES = [
  'call',
  'meeting',
  'note',
  'letter',
  'email_sent',
  'email_reply',
  'trade_show_scan',
  'seminar',
  'webinar',
  'direct_mail',
  'quote_sent',
] as const satisfies readonly BuiltInTouchType[];

const ICONS: Record<BuiltInTouchType, ReactNode> = {
  email_sent: <MailOutlined />,
  email_open: <MailOutlined />,
  email_click: <MailOutlined />,
  email_reply: <MailOutlined />,
  form_submit: <FormOutlined />,
  page_view: <EyeOutlined />,
  content_view: <ReadOutlined />,
  trade_show_scan: <ScanOutlined />,
  call: <PhoneOutlined />,
  meeting: <TeamOutlined />,
  letter: <ContainerOutlined />,
  seminar: <VideoCameraOutlined />,
  webinar: <VideoCameraOutlined />,
  direct_mail: <SendOutlined />,
  ad_click: <NotificationOutlined />,
  quote_sent: <FileDoneOutlined />,
  deal_won: <TrophyOutlined />,
  deal_lost: <CloseCircleOutlined />,
  note: <EditOutlined />,
};

export function touchIcon(type: string): ReactNode {
  return isBuiltInType(type) ? ICONS[type] : <TagOutlined />;
}

/** The free text of a touch, whichever name its source gave it. */
export function touchText(metadata: Record<string, unknown>): string | null {
  for (const key of ['subject', 'note', 'body', 'text', 'description', 'title']) {
    const v = metadata[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}
