import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Segmented,
  Switch,
  Table,
  type TableProps,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductDto } from '../../../contracts/quotes.ts';
import { api } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import { canManageCatalog } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useDebounced } from '../../ui/useDebounced.ts';
import { PRODUCTS, useProducts } from './api.ts';

interface ProductValues {
  sku: string;
  name: string;
  description?: string;
  unit: string;
  active: boolean;
}

/** The product catalogue: everyone reads it; admins and sales managers add and change products. */
export function ProductsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const [active, setActive] = useState<'true' | 'false' | 'all'>('true');
  const products = useProducts(q, active);
  const rows = products.data?.pages.flatMap((p) => p.items) ?? [];
  const canManage = canManageCatalog(me.user.role);
  const [editing, setEditing] = useState<ProductDto | 'new' | null>(null);
  const [form] = Form.useForm<ProductValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = (p: ProductDto | 'new') => {
    setError(null);
    form.resetFields();
    form.setFieldsValue(
      p === 'new'
        ? { unit: 'pcs', active: true }
        : { sku: p.sku, name: p.name, description: p.description ?? '', unit: p.unit, active: p.active },
    );
    setEditing(p);
  };

  const save = async (v: ProductValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = { ...v, description: v.description?.trim() || null };
      if (editing === 'new') await api.post(PRODUCTS, body);
      else if (editing) await api.patch(`${PRODUCTS}/${editing.id}`, body);
      message.success(t('quotes.products.saved'));
      setEditing(null);
      await qc.invalidateQueries({ queryKey: [PRODUCTS] });
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['sku', 'name', 'description', 'unit', 'active']);
      setError([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableProps<ProductDto>['columns'] = [
    { key: 'sku', title: t('quotes.products.sku'), dataIndex: 'sku', width: 160 },
    { key: 'name', title: t('quotes.products.name'), dataIndex: 'name', className: 'record-name' },
    { key: 'unit', title: t('quotes.products.unit'), dataIndex: 'unit', width: 90 },
    {
      key: 'description',
      title: t('quotes.products.description'),
      dataIndex: 'description',
      responsive: ['lg'],
    },
    {
      key: 'active',
      title: t('quotes.products.active'),
      width: 110,
      render: (_, p) =>
        p.active ? (
          <Tag color="green">{t('quotes.products.isActive')}</Tag>
        ) : (
          <Tag>{t('quotes.products.inactive')}</Tag>
        ),
    },
    ...(canManage
      ? [
          {
            key: 'edit',
            width: 60,
            render: (_: unknown, p: ProductDto) => (
              <Button
                type="text"
                icon={<EditOutlined />}
                aria-label={t('common.edit')}
                onClick={() => open(p)}
                data-testid={`edit-product-${p.sku}`}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('nav.products')}
        subtitle={t('quotes.products.subtitle')}
        extra={
          canManage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => open('new')}
              data-testid="new-product"
            >
              {t('quotes.products.new')}
            </Button>
          ) : null
        }
      />
      <Flex className="toolbar" gap={8} wrap>
        <Input.Search
          className="toolbar-search"
          allowClear
          placeholder={t('quotes.products.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Segmented
          value={active}
          onChange={(v) => setActive(v as typeof active)}
          options={[
            { value: 'true', label: t('quotes.products.isActive') },
            { value: 'false', label: t('quotes.products.inactive') },
            { value: 'all', label: t('quotes.all') },
          ]}
        />
      </Flex>
      <Card>
        {products.error ? <Alert type="error" showIcon message={errorText(products.error)} /> : null}
        <Table
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={products.isLoading}
          pagination={false}
          size="middle"
          data-testid="products-table"
        />
        {products.hasNextPage ? (
          <Button onClick={() => products.fetchNextPage()} loading={products.isFetchingNextPage}>
            {t('quotes.loadMore')}
          </Button>
        ) : null}
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('quotes.products.new') : t('quotes.products.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        confirmLoading={busy}
        destroyOnHidden
      >
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical" onFinish={save} data-testid="product-form">
          <Form.Item name="sku" label={t('quotes.products.sku')} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="name" label={t('quotes.products.name')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('quotes.products.description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="unit" label={t('quotes.products.unit')} rules={[{ required: true }]}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="active" label={t('quotes.products.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
