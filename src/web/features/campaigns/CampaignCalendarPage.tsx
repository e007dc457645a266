import {
  Alert,
  Card,
  DatePicker,
  Empty,
  Flex,
  Input,
  Segmented,
  Select,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CAMPAIGN_CHANNELS, type CalendarEntryDto } from '../../../contracts/campaigns.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useDebounced } from '../../ui/useDebounced.ts';
import { campaignPath, useCalendar } from './api.ts';

type View = 'month' | 'quarter';

const CHANNEL_COLORS: Record<string, string> = {
  email: '#1677ff',
  trade_show: '#fa8c16',
  direct_mail: '#722ed1',
  ads: '#eb2f96',
  pr: '#13c2c2',
  webinar: '#52c41a',
  seminar: '#2f54eb',
  content: '#a0d911',
  promotion: '#faad14',
  referral: '#f5222d',
  other: '#8c8c8c',
};

function periodOf(anchor: Dayjs, view: View): { from: Dayjs; to: Dayjs } {
  if (view === 'month') return { from: anchor.startOf('month'), to: anchor.endOf('month').startOf('day') };
  const q = Math.floor(anchor.month() / 3) * 3;
  const from = anchor.month(q).startOf('month');
  return { from, to: from.add(2, 'month').endOf('month').startOf('day') };
}

/** Month and quarter views of every campaign, for every role, filterable by market and channel. */
export function CampaignCalendarPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const [view, setView] = useState<View>('month');
  const [anchor, setAnchor] = useState<Dayjs>(dayjs());
  const [channel, setChannel] = useState<string | undefined>();
  const [market, setMarket] = useState('');
  const debouncedMarket = useDebounced(market.trim(), 300);
  const { from, to } = periodOf(anchor, view);
  const days = to.diff(from, 'day') + 1;
  const cal = useCalendar({
    from: from.format('YYYY-MM-DD'),
    to: to.format('YYYY-MM-DD'),
    ...(channel ? { channel } : {}),
    ...(debouncedMarket.length >= 2 ? { market: debouncedMarket } : {}),
  });
  const items = cal.data?.items ?? [];
  // Month view ticks every day; quarter view ticks each month start.
  const ticks =
    view === 'month'
      ? Array.from({ length: days }, (_, i) => ({ at: i, label: String(i + 1) }))
      : [0, 1, 2].map((m) => {
          const d = from.add(m, 'month');
          return {
            at: d.diff(from, 'day'),
            label: new Intl.DateTimeFormat(i18n.language, { month: 'long' }).format(d.toDate()),
          };
        });

  const bar = (e: CalendarEntryDto) => {
    const start = Math.max(0, dayjs(e.startsOn).diff(from, 'day'));
    const end = Math.min(days - 1, dayjs(e.endsOn).diff(from, 'day'));
    return { left: `${(start / days) * 100}%`, width: `${(Math.max(1, end - start + 1) / days) * 100}%` };
  };

  return (
    <>
      <PageHeader title={t('nav.campaignCalendar')} subtitle={t('campaigns.calendar.subtitle')} />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }} align="center">
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: 'month', label: t('campaigns.calendar.month') },
              { value: 'quarter', label: t('campaigns.calendar.quarter') },
            ]}
          />
          <DatePicker
            picker={view}
            value={anchor}
            allowClear={false}
            onChange={(d) => d && setAnchor(d)}
            aria-label={t('campaigns.calendar.period')}
          />
          <Select
            allowClear
            placeholder={t('campaigns.channel')}
            value={channel}
            onChange={setChannel}
            style={{ width: 180 }}
            options={CAMPAIGN_CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channels.${c}`) }))}
          />
          <Input
            allowClear
            placeholder={t('campaigns.market')}
            value={market}
            onChange={(e) => setMarket(e.target.value)}
            style={{ width: 120 }}
          />
          <Typography.Text type="secondary">
            {fmt.plainDate(from.format('YYYY-MM-DD'))} – {fmt.plainDate(to.format('YYYY-MM-DD'))}
          </Typography.Text>
        </Flex>
        {cal.error ? <Alert type="error" message={errorText(cal.error)} /> : null}
        <div className="campaign-calendar" data-testid="campaign-calendar">
          <div className="campaign-calendar-row campaign-calendar-head">
            <div className="campaign-calendar-label" />
            <div className="campaign-calendar-track">
              {ticks.map((tk) => (
                <span
                  key={tk.at}
                  className="campaign-calendar-tick"
                  style={{ left: `${(tk.at / days) * 100}%` }}
                >
                  {tk.label}
                </span>
              ))}
            </div>
          </div>
          {items.length ? (
            items.map((e) => (
              <div key={e.id} className="campaign-calendar-row" data-testid="calendar-entry">
                <div className="campaign-calendar-label">
                  <Link to={campaignPath(e.id)}>{e.name}</Link>{' '}
                  {e.markets.map((m) => (
                    <Tag key={m} style={{ marginInlineEnd: 2 }}>
                      {m}
                    </Tag>
                  ))}
                </div>
                <div className="campaign-calendar-track">
                  <Tooltip
                    title={`${t(`campaigns.channels.${e.channel}`)} · ${fmt.plainDate(e.startsOn)} – ${fmt.plainDate(e.endsOn)}`}
                  >
                    <Link
                      to={campaignPath(e.id)}
                      className="campaign-calendar-bar"
                      style={{ ...bar(e), background: CHANNEL_COLORS[e.channel] }}
                      aria-label={e.name}
                    />
                  </Tooltip>
                </div>
              </div>
            ))
          ) : (
            <Empty description={t('campaigns.calendar.none')} />
          )}
        </div>
      </Card>
    </>
  );
}
