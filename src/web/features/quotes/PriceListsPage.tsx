import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Table, type TableProps, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { PriceListDto } from '../../../contracts/quotes.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { canManageCatalog } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PRICE_LISTS, usePriceLists } from './api.ts';

interface PriceListValues {
  name: string;
  currency: string;
  market?: string;
}

export const priceListPath = (id: string) => `/quotes/price-lists/${id}`;

/** Price lists (one currency each, optionally one market) with how many products they price. */
export function PriceListsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const lists = usePriceLists();
  const canManage = canManageCatalog(me.user.role);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<PriceListValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (v: PriceListValues) => {
    setBusy(true);
    setError(null);
    try {
      const made = await api.post<PriceListDto>(PRICE_LISTS, {
        name: v.name,
        currency: v.currency.trim().toUpperCase(),
        market: v.market?.trim() || null,
      });
      message.success(t('quotes.priceLists.saved'));
      setCreating(false);
      await qc.invalidateQueries({ queryKey: [PRICE_LISTS] });
      navigate(priceListPath(made.id));
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['name', 'currency', 'market']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableProps<PriceListDto>['columns'] = [
    {
      key: 'name',
      title: t('quotes.priceLists.name'),
      render: (_, l) => (
        <Link to={priceListPath(l.id)} className="record-name">
          {l.name}
        </Link>
      ),
    },
    { key: 'currency', title: t('quotes.currency'), dataIndex: 'currency', width: 110 },
    { key: 'market', title: t('quotes.priceLists.market'), dataIndex: 'market', width: 160 },
    {
      key: 'items',
      title: t('quotes.priceLists.itemCount'),
      dataIndex: 'itemCount',
      width: 120,
      align: 'right',
    },
    {
      key: 'active',
      title: t('quotes.products.active'),
      width: 110,
      render: (_, l) =>
        l.active ? (
          <Tag color="green">{t('quotes.products.isActive')}</Tag>
        ) : (
          <Tag>{t('quotes.products.inactive')}</Tag>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.priceLists')}
        subtitle={t('quotes.priceLists.subtitle')}
        extra={
          canManage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setError(null);
                form.resetFields();
                setCreating(true);
              }}
              data-testid="new-price-list"
            >
              {t('quotes.priceLists.new')}
            </Button>
          ) : null
        }
      />
      <Card>
        {lists.error ? <Alert type="error" showIcon message={errorText(lists.error)} /> : null}
        <Table
          rowKey="id"
          columns={columns}
          dataSource={lists.data ?? []}
          loading={lists.isLoading}
          pagination={false}
        />
      </Card>
      <Modal
        open={creating}
        title={t('quotes.priceLists.new')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        confirmLoading={busy}
        destroyOnHidden
      >
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical" onFinish={save} data-testid="price-list-form">
          <Form.Item name="name" label={t('quotes.priceLists.name')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="currency" label={t('quotes.currency')} rules={[{ required: true, len: 3 }]}>
            <Input maxLength={3} placeholder="EUR" style={{ textTransform: 'uppercase', width: 120 }} />
          </Form.Item>
          <Form.Item name="market" label={t('quotes.priceLists.market')}>
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
