import { Alert, Button, Card, Descriptions, Flex, Table, type TableProps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FormDto, FormSubmissionDto } from '../../../contracts/forms.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { currentLocale } from '../../app/i18n/index.ts';
import { useSubmissions } from './formsApi.ts';

function showValue(
  v: FormSubmissionDto['values'][string],
  t: (k: 'common.yes' | 'common.no') => string,
): string {
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  return Array.isArray(v) ? v.join(', ') : v;
}

/** What visitors sent, newest first: the contact it made or updated, values, UTM and consent. */
export function SubmissionsCard({ form }: { form: FormDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const locale = currentLocale();
  const subs = useSubmissions(form.id, true);
  const rows = subs.data?.pages.flatMap((p) => p.items) ?? [];
  const labelOf = new Map(form.fields.map((f) => [f.target, f.displayLabel[locale]]));

  const columns: TableProps<FormSubmissionDto>['columns'] = [
    {
      key: 'at',
      title: t('forms.sub.at'),
      render: (_, s) => fmt.dateTime(s.createdAt),
      className: 'nowrap',
      width: 180,
    },
    {
      key: 'contact',
      title: t('forms.sub.contact'),
      render: (_, s) => (
        <Link to={`/contacts/${s.contactId}`} className="record-name">
          {typeof s.values.email === 'string' ? s.values.email : s.contactId}
        </Link>
      ),
      ellipsis: true,
    },
    {
      key: 'result',
      title: t('forms.sub.result'),
      width: 150,
      render: (_, s) =>
        s.contactCreated ? (
          <Tag color="green">{t('forms.sub.created')}</Tag>
        ) : (
          <Tag color="blue">{t('forms.sub.updated')}</Tag>
        ),
    },
    {
      key: 'consent',
      title: t('forms.builder.consent'),
      width: 120,
      render: (_, s) =>
        s.consent ? (
          s.consent.granted ? (
            <Tag color="green">{t('forms.sub.granted')}</Tag>
          ) : (
            <Tag>{t('forms.sub.declined')}</Tag>
          )
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
      responsive: ['md'],
    },
    {
      key: 'source',
      title: t('forms.sub.source'),
      render: (_, s) =>
        [s.utm.source, s.utm.medium, s.utm.campaign].filter(Boolean).join(' / ') || s.referrer || '',
      ellipsis: true,
      responsive: ['lg'],
    },
    {
      key: 'locale',
      title: t('forms.sub.locale'),
      width: 110,
      render: (_, s) => (s.locale === 'en' || s.locale === 'zh-CN' ? t(`languages.${s.locale}`) : s.locale),
      responsive: ['xl'],
    },
  ];

  const expanded = (s: FormSubmissionDto) => (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        ...Object.entries(s.values).map(([k, v]) => ({
          key: k,
          label: labelOf.get(k) ?? k,
          children: showValue(v, t),
        })),
        ...Object.entries(s.utm).map(([k, v]) => ({ key: `utm_${k}`, label: `utm_${k}`, children: v })),
        ...(s.referrer ? [{ key: 'ref', label: t('forms.sub.referrer'), children: s.referrer }] : []),
        ...(s.pageUrl ? [{ key: 'page', label: t('forms.sub.page'), children: s.pageUrl }] : []),
        ...(s.consent
          ? [{ key: 'consent', label: t('forms.builder.consentText'), span: 2, children: s.consent.text }]
          : []),
      ]}
    />
  );

  return (
    <Card title={t('forms.submissions')} className="stacked-card table-card" data-testid="submissions">
      {subs.isError ? <Alert type="error" showIcon title={errorText(subs.error)} /> : null}
      <Table<FormSubmissionDto>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={subs.isPending}
        pagination={false}
        size="middle"
        expandable={{ expandedRowRender: expanded }}
        locale={{ emptyText: subs.isPending ? ' ' : t('forms.sub.none') }}
      />
      {subs.hasNextPage ? (
        <Flex justify="center" className="list-footer">
          <Button onClick={() => void subs.fetchNextPage()} loading={subs.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}
