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
import type { CompanyDto } from '../../../contracts/companies.ts';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { canWriteRecords } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { formatCustomValue } from '../records/customFields.tsx';
import { useDiffLabels } from '../records/diffLabels.ts';
import { useCustomFields, useNames } from '../records/directory.ts';
import { RecordActions, RestoreConflict } from '../records/RecordActions.tsx';
import { TagList } from '../records/TagList.tsx';
import { useDeleteRestore, useRecord } from '../records/useRecord.ts';
import { RecordTimeline } from '../touches/RecordTimeline.tsx';
import { COMPANIES, companyPath } from './api.ts';
import { CompanyContacts } from './CompanyContacts.tsx';
import { CompanyForm } from './CompanyForm.tsx';

/** Only http(s) links become clickable (a stored javascript: URL must never run). */
function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

export function CompanyDetailPage() {
  const { id = '' } = useParams();
  // Keyed by id: another record on the same route (e.g. "open the existing record") starts afresh.
  return <CompanyDetail key={id} id={id} />;
}

function CompanyDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const names = useNames();
  const errorText = useErrorText();
  const customFields = useCustomFields('company');
  const diffLabels = useDiffLabels('company');
  const company = useRecord<CompanyDto>(COMPANIES, id);
  const { remove, restore } = useDeleteRestore<CompanyDto>(COMPANIES, id);
  const [editing, setEditing] = useState(false);

  if (company.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (company.isError) {
    const notFound = company.error instanceof ApiError && company.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('companies.notFound') : errorText(company.error)}
        extra={<Link to="/companies">{t('companies.backToList')}</Link>}
      />
    );
  }
  const c = company.data;
  const canWrite = canWriteRecords(me.user.role);
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const orDash = (v: ReactNode) => (v === null || v === undefined || v === '' ? dash : v);
  const href = c.website ? safeHref(c.website) : null;

  const details: DescriptionsProps['items'] = [
    { key: 'domain', label: t('companies.fields.domain'), children: orDash(c.domain) },
    {
      key: 'website',
      label: t('companies.fields.website'),
      children: orDash(
        href ? (
          <a href={href} target="_blank" rel="noopener noreferrer">
            {c.website}
          </a>
        ) : (
          c.website
        ),
      ),
    },
    { key: 'industry', label: t('companies.fields.industry'), children: orDash(c.industry) },
    { key: 'employees', label: t('companies.fields.employees'), children: orDash(fmt.number(c.employees)) },
    { key: 'country', label: t('records.fields.country'), children: orDash(fmt.country(c.country)) },
    { key: 'phone', label: t('records.fields.phone'), children: orDash(c.phone) },
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
            items={[{ title: <Link to="/companies">{t('companies.title')}</Link> }, { title: c.name }]}
          />
        }
        title={c.name}
        subtitle={[c.industry, c.domain].filter(Boolean).join(' · ') || undefined}
        tags={c.deletedAt ? <Tag color="red">{t('records.deletedTag')}</Tag> : null}
        extra={
          <RecordActions
            deleted={Boolean(c.deletedAt)}
            canWrite={canWrite}
            onEdit={() => setEditing(true)}
            remove={remove}
            restore={restore}
            deleteConfirm={t('companies.deleteConfirm', { name: c.name })}
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
      <RestoreConflict restore={restore} pathOf={companyPath} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('records.sections.details')}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small" items={details} />
          </Card>
          <CompanyContacts companyId={c.id} companyName={c.name} canWrite={canWrite && !c.deletedAt} />
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
          <RecordTimeline base={COMPANIES} id={id} labels={diffLabels} canLog={canWrite && !c.deletedAt} />
        </Col>
      </Row>
      {editing ? (
        <CompanyForm open company={c} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      ) : null}
    </>
  );
}
