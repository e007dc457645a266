import {
  Alert,
  Breadcrumb,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Result,
  Row,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ContactDto } from '../../../contracts/contacts.ts';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canWriteRecords } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ContactLifecyclePanel } from '../lifecycle/ContactLifecyclePanel.tsx';
import { formatCustomValue } from '../records/customFields.tsx';
import { useDiffLabels } from '../records/diffLabels.ts';
import { useCustomFields, useNames } from '../records/directory.ts';
import { RecordActions, RestoreConflict } from '../records/RecordActions.tsx';
import { TagList } from '../records/TagList.tsx';
import { useDeleteRestore, useRecord } from '../records/useRecord.ts';
import { ScorePanel } from '../scoring/ScorePanel.tsx';
import { RecordTimeline } from '../touches/RecordTimeline.tsx';
import { CONTACTS, contactName } from './api.ts';
import { ContactForm } from './ContactForm.tsx';

export function ContactDetailPage() {
  const { id = '' } = useParams();
  // Keyed by id: another record on the same route (e.g. "open the existing record") starts afresh.
  return <ContactDetail key={id} id={id} />;
}

function ContactDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const names = useNames();
  const errorText = useErrorText();
  const customFields = useCustomFields('contact');
  const diffLabels = useDiffLabels('contact');
  const contact = useRecord<ContactDto>(CONTACTS, id);
  const { remove, restore } = useDeleteRestore<ContactDto>(CONTACTS, id);
  const [editing, setEditing] = useState(false);

  if (contact.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (contact.isError) {
    const notFound = contact.error instanceof ApiError && contact.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('contacts.notFound') : errorText(contact.error)}
        extra={<Link to="/contacts">{t('contacts.backToList')}</Link>}
      />
    );
  }
  const c = contact.data;
  const name = contactName(c) || t('contacts.unnamed');
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const orDash = (v: ReactNode) => (v === null || v === undefined || v === '' ? dash : v);

  const details: DescriptionsProps['items'] = [
    {
      key: 'email',
      label: t('contacts.fields.email'),
      children: orDash(c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : null),
    },
    {
      key: 'phone',
      label: t('records.fields.phone'),
      children: orDash(c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : null),
    },
    { key: 'title', label: t('contacts.fields.title'), children: orDash(c.title) },
    {
      key: 'company',
      label: t('contacts.fields.company'),
      children: orDash(c.companyId ? <Link to={`/companies/${c.companyId}`}>{c.companyName}</Link> : null),
    },
    { key: 'country', label: t('records.fields.country'), children: orDash(fmt.country(c.country)) },
    { key: 'language', label: t('contacts.fields.language'), children: orDash(fmt.language(c.language)) },
    {
      key: 'owner',
      label: t('records.fields.owner'),
      children: c.ownerId ? (
        names.user(c.ownerId)
      ) : (
        <Typography.Text type="secondary">{t('records.unassigned')}</Typography.Text>
      ),
    },
    { key: 'team', label: t('records.fields.team'), children: orDash(names.team(c.teamId)) },
    {
      key: 'tags',
      label: t('records.fields.tags'),
      span: 2,
      children: c.tags.length ? <TagList tags={c.tags} /> : dash,
    },
    { key: 'createdAt', label: t('records.fields.createdAt'), children: fmt.dateTime(c.createdAt) },
    { key: 'updatedAt', label: t('records.fields.updatedAt'), children: fmt.dateTime(c.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        breadcrumb={
          <Breadcrumb
            className="page-breadcrumb"
            items={[{ title: <Link to="/contacts">{t('contacts.title')}</Link> }, { title: name }]}
          />
        }
        title={name}
        subtitle={[c.title, c.companyName].filter(Boolean).join(' · ') || undefined}
        tags={c.deletedAt ? <Tag color="red">{t('records.deletedTag')}</Tag> : null}
        extra={
          <RecordActions
            deleted={Boolean(c.deletedAt)}
            canWrite={canWriteRecords(me.user.role)}
            onEdit={() => setEditing(true)}
            remove={remove}
            restore={restore}
            deleteConfirm={t('contacts.deleteConfirm', { name })}
          />
        }
      />
      {c.deletedAt ? (
        <Alert
          type="warning"
          showIcon
          className="form-alert"
          title={t('records.deletedBanner', { at: fmt.dateTime(c.deletedAt) })}
        />
      ) : null}
      <RestoreConflict restore={restore} pathOf={(x) => `/contacts/${x}`} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('records.sections.details')}>
            <Descriptions
              column={{ xs: 1, sm: 2 }}
              size="small"
              items={details}
              data-testid="contact-details"
            />
          </Card>
          {customFields.data?.length ? (
            <Card title={t('records.sections.custom')} className="stacked-card">
              <Descriptions
                column={{ xs: 1, sm: 2 }}
                size="small"
                items={customFields.data.map((f) => ({
                  key: f.id,
                  label: f.label,
                  children: orDash(formatCustomValue(f, c.custom[f.key], fmt, t)),
                }))}
              />
            </Card>
          ) : null}
        </Col>
        <Col xs={24} xl={9}>
          <ScorePanel contactId={c.id} />
          <ContactLifecyclePanel contactId={c.id} canWrite={canWriteRecords(me.user.role) && !c.deletedAt} />
          <RecordTimeline
            base={CONTACTS}
            id={id}
            labels={diffLabels}
            canLog={canWriteRecords(me.user.role) && !c.deletedAt}
            contact={{ id: c.id, companyId: c.companyId }}
          />
        </Col>
      </Row>
      {editing ? (
        <ContactForm open contact={c} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      ) : null}
    </>
  );
}
