import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Modal, Select, Table, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContactDto } from '../../../contracts/contacts.ts';
import { api, type Page } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useDebounced } from '../../ui/useDebounced.ts';
import { CONTACTS, contactName, contactPath } from '../contacts/api.ts';
import { ContactForm } from '../contacts/ContactForm.tsx';
import { useNames } from '../records/directory.ts';
import { COMPANIES } from './api.ts';

/** The contacts of one company, with "new contact here" and "link an existing contact". */
export function CompanyContacts({
  companyId,
  companyName,
  canWrite,
}: {
  companyId: string;
  companyName: string;
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [linking, setLinking] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const contacts = useInfiniteQuery({
    queryKey: [COMPANIES, companyId, 'contacts'],
    queryFn: ({ pageParam }) =>
      api.get<Page<ContactDto>>(`${COMPANIES}/${companyId}/contacts`, {
        sort: 'name',
        order: 'asc',
        limit: 50,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const candidates = useQuery({
    queryKey: [CONTACTS, 'picker', q],
    queryFn: () => api.get<Page<ContactDto>>(CONTACTS, { q, limit: 20, sort: 'name', order: 'asc' }),
    enabled: linking,
  });
  const rows = contacts.data?.pages.flatMap((p) => p.items) ?? [];

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: [COMPANIES, companyId, 'contacts'] });
    await qc.invalidateQueries({ queryKey: [CONTACTS] });
  };

  const link = async () => {
    if (!chosen) return;
    try {
      await api.patch(`${CONTACTS}/${chosen}`, { companyId });
      message.success(t('companies.contactLinked'));
      setLinking(false);
      setChosen(null);
      await refresh();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const columns: TableProps<ContactDto>['columns'] = [
    {
      key: 'name',
      title: t('contacts.fields.name'),
      render: (_, c) => <Link to={contactPath(c.id)}>{contactName(c) || t('contacts.unnamed')}</Link>,
    },
    { key: 'title', title: t('contacts.fields.title'), dataIndex: 'title', responsive: ['md'] },
    { key: 'email', title: t('contacts.fields.email'), dataIndex: 'email', ellipsis: true },
    {
      key: 'owner',
      title: t('records.fields.owner'),
      render: (_, c) =>
        c.ownerId ? names.user(c.ownerId) : <span className="muted">{t('records.unassigned')}</span>,
      responsive: ['lg'],
    },
  ];

  return (
    <Card
      title={t('companies.contactsTitle')}
      className="stacked-card"
      extra={
        canWrite ? (
          <Flex gap={8}>
            <Button size="small" icon={<LinkOutlined />} onClick={() => setLinking(true)}>
              {t('companies.linkContact')}
            </Button>
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('companies.addContact')}
            </Button>
          </Flex>
        ) : null
      }
    >
      <Table<ContactDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={contacts.isPending}
        pagination={false}
        locale={{ emptyText: contacts.isError ? errorText(contacts.error) : t('companies.noContacts') }}
        data-testid="company-contacts"
      />
      {contacts.hasNextPage ? (
        <Button block className="list-footer" onClick={() => void contacts.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      ) : null}
      {creating ? (
        <ContactForm
          open
          presetCompany={{ id: companyId, name: companyName }}
          onClose={() => setCreating(false)}
          onSaved={() => {
            setCreating(false);
            void refresh();
          }}
        />
      ) : null}
      <Modal
        open={linking}
        title={t('companies.linkContactTitle', { company: companyName })}
        okText={t('companies.link')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !chosen }}
        onOk={() => void link()}
        onCancel={() => setLinking(false)}
        destroyOnHidden
      >
        <Select
          className="full-width"
          value={chosen ?? undefined}
          onChange={(v: string) => setChosen(v)}
          placeholder={t('companies.searchContact')}
          showSearch={{ filterOption: false, onSearch: setSearch }}
          loading={candidates.isFetching}
          options={(candidates.data?.items ?? [])
            .filter((c) => c.companyId !== companyId)
            .map((c) => ({
              value: c.id,
              label: [contactName(c), c.companyName ? `(${c.companyName})` : ''].filter(Boolean).join(' '),
            }))}
        />
      </Modal>
    </Card>
  );
}
