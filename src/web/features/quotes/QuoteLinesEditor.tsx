import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, InputNumber, Select, Table, type TableProps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { decimalToMinor, minorDigits, minorToDecimal } from '../../../contracts/money.ts';
import type { PriceListItemDto, QuoteDto, QuoteLineInput } from '../../../contracts/quotes.ts';

/** A line as edited in the browser; `key` keeps React rows stable while lines move. */
export interface DraftLine extends QuoteLineInput {
  key: string;
  /** Computed by the server at the last save (absent for a line added since). */
  netMinor?: number;
}

let keySeq = 0;
export const newKey = () => `l${++keySeq}`;

export function linesFromQuote(q: QuoteDto): DraftLine[] {
  return q.lines.map((l) => ({
    key: newKey(),
    productId: l.productId,
    name: l.name,
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor,
    discountPercent: l.discountPercent,
    taxRatePercent: l.taxRatePercent,
    netMinor: l.netMinor,
  }));
}

/** What the API takes: catalogue lines send no name (the product's), free lines no productId. */
export function toLineInputs(lines: DraftLine[]): QuoteLineInput[] {
  return lines.map(({ key: _k, netMinor: _n, ...l }) =>
    l.productId ? { ...l, name: undefined } : { ...l, productId: null },
  );
}

interface Props {
  lines: DraftLine[];
  onChange: (lines: DraftLine[]) => void;
  currency: string;
  prices: PriceListItemDto[];
  editable: boolean;
  format: (minor: number) => string;
}

/** The quote's lines: a product from the price list or a free line, quantity, price, discount, tax. */
export function QuoteLinesEditor({ lines, onChange, currency, prices, editable, format }: Props) {
  const { t } = useTranslation();
  const digits = minorDigits(currency);
  const set = (key: string, patch: Partial<DraftLine>) =>
    onChange(lines.map((l) => (l.key === key ? { ...l, ...patch, netMinor: undefined } : l)));
  const priceOf = (productId: string | null | undefined) => prices.find((p) => p.productId === productId);

  const columns: TableProps<DraftLine>['columns'] = [
    {
      key: 'item',
      title: t('quotes.item'),
      render: (_, l, index) =>
        l.productId !== null && l.productId !== undefined ? (
          <Select
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 240 }}
            value={l.productId}
            disabled={!editable}
            onChange={(v: string) => set(l.key, { productId: v, unitPriceMinor: priceOf(v)?.unitPriceMinor })}
            options={prices.map((p) => ({ value: p.productId, label: `${p.sku} · ${p.name}` }))}
            data-testid={`line-product-${index}`}
          />
        ) : (
          <Input
            value={l.name ?? ''}
            disabled={!editable}
            placeholder={t('quotes.freeLineName')}
            onChange={(e) => set(l.key, { name: e.target.value })}
            data-testid={`line-name-${index}`}
          />
        ),
    },
    {
      key: 'qty',
      title: t('quotes.quantity'),
      width: 110,
      render: (_, l, index) => (
        <InputNumber
          min={0.001}
          step={1}
          value={l.quantity}
          disabled={!editable}
          onChange={(v) => set(l.key, { quantity: Number(v ?? 0) })}
          data-testid={`line-qty-${index}`}
        />
      ),
    },
    {
      key: 'price',
      title: `${t('quotes.unitPrice')} (${currency})`,
      width: 160,
      render: (_, l, index) => (
        <InputNumber
          min={0}
          precision={digits}
          value={l.unitPriceMinor === undefined ? null : minorToDecimal(l.unitPriceMinor, currency)}
          placeholder={t('quotes.fromPriceList')}
          disabled={!editable}
          onChange={(v) =>
            set(l.key, { unitPriceMinor: v === null ? undefined : decimalToMinor(Number(v), currency) })
          }
          data-testid={`line-price-${index}`}
        />
      ),
    },
    {
      key: 'discount',
      title: t('quotes.discountPercent'),
      width: 110,
      render: (_, l, index) => (
        <InputNumber
          min={0}
          max={100}
          precision={2}
          value={l.discountPercent ?? 0}
          disabled={!editable}
          onChange={(v) => set(l.key, { discountPercent: Number(v ?? 0) })}
          data-testid={`line-discount-${index}`}
        />
      ),
    },
    {
      key: 'tax',
      title: t('quotes.taxPercent'),
      width: 100,
      render: (_, l, index) => (
        <InputNumber
          min={0}
          max={100}
          precision={2}
          value={l.taxRatePercent ?? 0}
          disabled={!editable}
          onChange={(v) => set(l.key, { taxRatePercent: Number(v ?? 0) })}
          data-testid={`line-tax-${index}`}
        />
      ),
    },
    {
      key: 'net',
      title: t('quotes.amount'),
      align: 'right',
      width: 140,
      render: (_, l) =>
        l.netMinor === undefined ? (
          <Typography.Text type="secondary">{t('quotes.afterSave')}</Typography.Text>
        ) : (
          format(l.netMinor)
        ),
    },
    ...(editable
      ? [
          {
            key: 'remove',
            width: 50,
            render: (_: unknown, l: DraftLine) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.delete')}
                onClick={() => onChange(lines.filter((x) => x.key !== l.key))}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Table
        rowKey="key"
        columns={columns}
        dataSource={lines}
        pagination={false}
        size="small"
        data-testid="quote-lines"
        scroll={{ x: 900 }}
      />
      {editable ? (
        <Flex gap={8} style={{ marginTop: 12 }}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 280 }}
            placeholder={t('quotes.addProduct')}
            value={null}
            onChange={(v: string) =>
              onChange([
                ...lines,
                {
                  key: newKey(),
                  productId: v,
                  quantity: 1,
                  unitPriceMinor: priceOf(v)?.unitPriceMinor,
                  discountPercent: 0,
                },
              ])
            }
            options={prices.map((p) => ({ value: p.productId, label: `${p.sku} · ${p.name}` }))}
            data-testid="add-product-line"
          />
          <Button
            icon={<PlusOutlined />}
            onClick={() =>
              onChange([
                ...lines,
                { key: newKey(), productId: null, name: '', quantity: 1, unitPriceMinor: 0 },
              ])
            }
            data-testid="add-free-line"
          >
            {t('quotes.addFreeLine')}
          </Button>
        </Flex>
      ) : null}
    </>
  );
}
