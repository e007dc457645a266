import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlannerRatesDto, RateValueDto } from '../../../contracts/planning.ts';
import { formatMinor } from '../deals/api.ts';
import { round1 } from './api.ts';

/** Measured or default: the source documents' figures are labelled so nobody mistakes them for data. */
export function SourceTag({ isDefault }: { isDefault: boolean }) {
  const { t } = useTranslation();
  return isDefault ? (
    <span data-testid="default-tag">
      <Tag color="gold">{t('planning.default')}</Tag>
    </span>
  ) : (
    <Tag color="green">{t('planning.measured')}</Tag>
  );
}

/** The rates a plan was made with, each labelled measured or default. */
export function RatesCard({ rates }: { rates: PlannerRatesDto }) {
  const { t, i18n } = useTranslation();
  const pct = (r: RateValueDto) => `${round1(r.value * 100)} %`;
  const rows: { key: string; label: string; value: string; isDefault: boolean }[] = [
    {
      key: 'lq',
      label: t('planning.rates.leadToQualified'),
      value: pct(rates.leadToQualified),
      isDefault: rates.leadToQualified.isDefault,
    },
    {
      key: 'qq',
      label: t('planning.rates.qualifiedToQuote'),
      value: pct(rates.qualifiedToQuote),
      isDefault: rates.qualifiedToQuote.isDefault,
    },
    {
      key: 'qw',
      label: t('planning.rates.quoteToWon'),
      value: pct(rates.quoteToWon),
      isDefault: rates.quoteToWon.isDefault,
    },
    {
      key: 'deal',
      label: t('planning.rates.avgDeal'),
      value: formatMinor(rates.avgDealMinor.value, rates.currency, i18n.language),
      isDefault: rates.avgDealMinor.isDefault,
    },
    {
      key: 'cycle',
      label: t('planning.rates.cycleDays'),
      value: String(round1(rates.cycleDays.value)),
      isDefault: rates.cycleDays.isDefault,
    },
    {
      key: 'cap',
      label: t('planning.rates.repCapacity'),
      value: String(round1(rates.repCapacity.value)),
      isDefault: rates.repCapacity.isDefault,
    },
    {
      key: 'touch',
      label: t('planning.rates.touchesPerWin'),
      value: String(round1(rates.touchesPerWin.value)),
      isDefault: rates.touchesPerWin.isDefault,
    },
    ...rates.channels.map((c) => ({
      key: `ch-${c.channel}`,
      label: t('planning.rates.costPerLead', { channel: c.channel, share: round1(c.share * 100) }),
      value: formatMinor(c.costPerLeadMinor, rates.currency, i18n.language),
      isDefault: c.isDefault,
    })),
  ];
  return (
    <Card title={t('planning.rates.title')} size="small" className="planner-rates">
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        showHeader={false}
        dataSource={rows}
        columns={[
          { key: 'label', dataIndex: 'label' },
          { key: 'value', dataIndex: 'value', align: 'right' },
          { key: 'src', render: (_, r) => <SourceTag isDefault={r.isDefault} />, width: 110 },
        ]}
      />
    </Card>
  );
}
