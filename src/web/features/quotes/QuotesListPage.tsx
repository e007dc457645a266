import { Alert, Button, Card, Flex, Select, Table, type TableProps, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QUOTE_STATUSES, type QuoteStatus } from '../../../contracts/quotes.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatMinor, type QuoteListItem, quotePath, STATUS_COLORS, useQuotes } from './api.ts';
import { dealPath } from './QuoteEditorPage.tsx';

/** Quotes on the deals the user can see, newest first, filterable by status. */
export function QuotesListPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const [status, setStatus] = useState<QuoteStatus | undefined>();
  const quotes = useQuotes(status ? { status } : {});
  const rows = quotes.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableProps<QuoteListItem>['columns'] = [
    {
      key: 'label',
      title: t('quotes.number'),
      render: (_, q) => (
        <Link to={quotePath(q.id)} className="record-name">
          {q.label}
        </Link>
      ),
    },
    {
      key: 'deal',
      title: t('quotes.deal'),
      render: (_, q) => <Link to={dealPath(q.dealId)}>{q.dealName}</Link>,
    },
    {
      key: 'status',
      title: t('quotes.statusLabel'),
      render: (_, q) => <Tag color={STATUS_COLORS[q.status]}>{t(`quotes.status.${q.status}`)}</Tag>,
    },
    {
      key: 'approval',
      title: t('quotes.approval.title'),
      render: (_, q) => t(`quotes.approvalState.${q.approval.state}`),
      responsive: ['md'],
    },
    {
      key: 'total',
      title: t('quotes.total'),
      align: 'right',
      render: (_, q) => formatMinor(q.totals.totalMinor, q.currency, i18n.language),
    },
    {
      key: 'discount',
      title: t('quotes.effectiveDiscount'),
      align: 'right',
      render: (_, q) => `${q.totals.effectiveDiscountPercent} %`,
      responsive: ['lg'],
    },
    {
      key: 'valid',
      title: t('quotes.validUntil'),
      render: (_, q) => fmt.plainDate(q.validUntil),
      responsive: ['md'],
    },
  ];

  return (
    <>
      <PageHeader title={t('nav.quoteList')} subtitle={t('quotes.listSubtitle')} />
      <Flex className="toolbar" gap={8}>
        <Select
          allowClear
          placeholder={t('quotes.statusLabel')}
          value={status}
          onChange={(v) => setStatus(v)}
          options={QUOTE_STATUSES.map((s) => ({ value: s, label: t(`quotes.status.${s}`) }))}
          style={{ minWidth: 200 }}
          data-testid="quote-status-filter"
        />
      </Flex>
      <Card>
        {quotes.error ? <Alert type="error" showIcon message={errorText(quotes.error)} /> : null}
        <Table
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={quotes.isLoading}
          pagination={false}
          data-testid="quotes-table"
        />
        {quotes.hasNextPage ? (
          <Button onClick={() => quotes.fetchNextPage()} loading={quotes.isFetchingNextPage}>
            {t('quotes.loadMore')}
          </Button>
        ) : null}
      </Card>
    </>
  );
}
