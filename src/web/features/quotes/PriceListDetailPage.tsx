import { DeleteOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, InputNumber, Select, Table, type TableProps, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { decimalToMinor, minorDigits, minorToDecimal } from '../../../contracts/money.ts';
import type { PriceListItemDto } from '../../../contracts/quotes.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { canManageCatalog } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { FullPageSpin } from '../../ui/FullPage.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PRICE_LISTS, usePriceList, useProducts } from './api.ts';

/** One price list: its prices per product, edited in place and saved together. */
export function PriceListDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = usePriceList(id);
  const products = useProducts('', 'true');
  const canManage = canManageCatalog(me.user.role);
  // Edits not yet saved: productId → price in minor units (null removes the product).
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const [adding, setAdding] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const currency = list.data?.currency ?? 'EUR';
  const digits = minorDigits(currency);
  const rows = useMemo(() => {
    const base = new Map((list.data?.items ?? []).map((i) => [i.productId, i]));
    for (const [productId, price] of Object.entries(edits)) {
      const product = products.data?.pages.flatMap((p) => p.items).find((p) => p.id === productId);
      if (price === null) base.delete(productId);
      else if (base.has(productId)) base.set(productId, { ...base.get(productId)!, unitPriceMinor: price });
      else if (product)
        base.set(productId, {
          productId,
          sku: product.sku,
          name: product.name,
          unit: product.unit,
          unitPriceMinor: price,
        });
    }
    return [...base.values()].sort((a, b) => a.sku.localeCompare(b.sku));
  }, [list.data, edits, products.data]);

  if (list.isLoading) return <FullPageSpin label={t('app.loading')} />;
  if (list.error || !list.data) return <Alert type="error" showIcon message={errorText(list.error)} />;
  const priced = new Set(rows.map((r) => r.productId));
  const addable = (products.data?.pages.flatMap((p) => p.items) ?? []).filter((p) => !priced.has(p.id));

  const save = async () => {
    setBusy(true);
    try {
      await api.put(`${PRICE_LISTS}/${id}/items`, {
        items: Object.entries(edits).map(([productId, unitPriceMinor]) => ({ productId, unitPriceMinor })),
      });
      setEdits({});
      message.success(t('quotes.priceLists.pricesSaved'));
      await qc.invalidateQueries({ queryKey: [PRICE_LISTS] });
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableProps<PriceListItemDto>['columns'] = [
    { key: 'sku', title: t('quotes.products.sku'), dataIndex: 'sku', width: 160 },
    { key: 'name', title: t('quotes.products.name'), dataIndex: 'name' },
    { key: 'unit', title: t('quotes.products.unit'), dataIndex: 'unit', width: 90 },
    {
      key: 'price',
      title: `${t('quotes.unitPrice')} (${currency})`,
      width: 200,
      render: (_, i) =>
        canManage ? (
          <InputNumber
            min={0}
            precision={digits}
            value={minorToDecimal(i.unitPriceMinor, currency)}
            onChange={(v) =>
              setEdits((e) => ({ ...e, [i.productId]: decimalToMinor(Number(v ?? 0), currency) }))
            }
            data-testid={`price-${i.sku}`}
          />
        ) : (
          minorToDecimal(i.unitPriceMinor, currency).toFixed(digits)
        ),
    },
    ...(canManage
      ? [
          {
            key: 'remove',
            width: 60,
            render: (_: unknown, i: PriceListItemDto) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.delete')}
                onClick={() => setEdits((e) => ({ ...e, [i.productId]: null }))}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={list.data.name}
        tags={
          <>
            <Tag>{currency}</Tag>
            {list.data.market ? <Tag color="blue">{list.data.market}</Tag> : null}
          </>
        }
        subtitle={t('quotes.priceLists.detailSubtitle')}
        extra={
          canManage ? (
            <Button
              type="primary"
              onClick={save}
              loading={busy}
              disabled={!Object.keys(edits).length}
              data-testid="save-prices"
            >
              {t('quotes.priceLists.savePrices')}
            </Button>
          ) : null
        }
      />
      {canManage ? (
        <Flex className="toolbar" gap={8}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 320 }}
            placeholder={t('quotes.priceLists.addProduct')}
            value={adding}
            onChange={(v: string) => {
              setAdding(undefined);
              setEdits((e) => ({ ...e, [v]: 0 }));
            }}
            options={addable.map((p) => ({ value: p.id, label: `${p.sku} · ${p.name}` }))}
            data-testid="add-product-to-list"
          />
        </Flex>
      ) : null}
      <Card>
        <Table
          rowKey="productId"
          columns={columns}
          dataSource={rows}
          pagination={false}
          data-testid="price-list-items"
        />
      </Card>
    </>
  );
}
