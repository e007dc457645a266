import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, List, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { QuoteDto } from '../../../contracts/quotes.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { canWriteQuotes } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { formatMinor, QUOTES, quotePath, STATUS_COLORS, usePriceLists, useQuotes } from './api.ts';

/** The quotes card of a deal page: its quotes and a button that starts a new one. */
export function DealQuotes({ dealId, currency }: { dealId: string; currency: string }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const quotes = useQuotes({ dealId });
  const lists = usePriceLists();
  const [picking, setPicking] = useState(false);
  const [priceListId, setPriceListId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const rows = quotes.data?.pages.flatMap((p) => p.items) ?? [];

  const create = async () => {
    setBusy(true);
    try {
      const list = lists.data?.find((l) => l.id === priceListId);
      const made = await api.post<QuoteDto>(QUOTES, {
        dealId,
        priceListId: priceListId ?? null,
        currency: list?.currency ?? currency,
        lines: [],
      });
      await qc.invalidateQueries({ queryKey: [QUOTES, 'list'] });
      navigate(quotePath(made.id));
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('nav.quoteList')}
      data-testid="deal-quotes"
      extra={
        canWriteQuotes(me.user.role) ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setPicking(true)}
            data-testid="new-quote"
          >
            {t('quotes.new')}
          </Button>
        ) : null
      }
    >
      <List
        loading={quotes.isLoading}
        dataSource={rows}
        locale={{ emptyText: t('quotes.none') }}
        renderItem={(q) => (
          <List.Item extra={formatMinor(q.totals.totalMinor, q.currency, i18n.language)}>
            <Link to={quotePath(q.id)}>{q.label}</Link>{' '}
            <Tag color={STATUS_COLORS[q.status]}>{t(`quotes.status.${q.status}`)}</Tag>
          </List.Item>
        )}
      />
      <Modal
        open={picking}
        title={t('quotes.new')}
        onCancel={() => setPicking(false)}
        onOk={create}
        okText={t('quotes.create')}
        confirmLoading={busy}
        okButtonProps={{ id: 'create-quote' }}
      >
        <Typography.Paragraph type="secondary">{t('quotes.pickPriceList')}</Typography.Paragraph>
        <Select
          style={{ width: '100%' }}
          allowClear
          value={priceListId}
          onChange={setPriceListId}
          options={(lists.data ?? [])
            .filter((l) => l.active)
            .map((l) => ({ value: l.id, label: `${l.name} (${l.currency})` }))}
          data-testid="new-quote-price-list"
        />
      </Modal>
    </Card>
  );
}
