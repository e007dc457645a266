import { EditOutlined, ExportOutlined, InboxOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Flex,
  Popconfirm,
  Result,
  Row,
  Skeleton,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { FormDto, FormLocale } from '../../../contracts/forms.ts';
import { ApiError, api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { currentLocale } from '../../app/i18n/index.ts';
import { canManageForms, canReadFormSubmissions } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { TagList } from '../records/TagList.tsx';
import { FORMS } from './api.ts';
import { EmbedCard } from './EmbedCard.tsx';
import { FormStatusTag } from './FormsListPage.tsx';
import { useForm } from './formsApi.ts';
import { SubmissionsCard } from './SubmissionsCard.tsx';

function pick(l: Record<string, string> | null | undefined, locale: FormLocale): string | undefined {
  return l?.[locale] ?? l?.[locale === 'en' ? 'zh-CN' : 'en'];
}

/** One form: what it collects, where it lives (hosted page and embed code), and its submissions. */
export function FormDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const form = useForm(id);
  const locale = currentLocale();

  if (form.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (form.isError) {
    const notFound = form.error instanceof ApiError && form.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('forms.notFound') : errorText(form.error)}
        extra={<Link to="/capture/forms">{t('forms.backToList')}</Link>}
      />
    );
  }
  const f = form.data;
  const canManage = canManageForms(me.user.role);
  const setStatus = async (status: FormDto['status']) => {
    try {
      const saved = await api.patch<FormDto>(`${FORMS}/${f.id}`, { status });
      qc.setQueryData([FORMS, f.id], saved);
      void qc.invalidateQueries({ queryKey: [FORMS, 'list'] });
      message.success(status === 'archived' ? t('forms.archived') : t('forms.reactivated'));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const successText =
    f.success.kind === 'redirect' ? (
      <span>
        {t('forms.builder.redirect')}: <Typography.Text code>{f.success.url}</Typography.Text>
      </span>
    ) : (
      (pick(f.success.message, locale) ?? t('forms.defaultThanks'))
    );
  const details: DescriptionsProps['items'] = [
    {
      key: 'fields',
      label: t('forms.builder.fields'),
      span: 2,
      children: (
        <Flex gap={4} wrap data-testid="form-fields">
          {f.fields.map((x) => (
            <Tag key={x.target} color={x.available ? undefined : 'red'}>
              {x.displayLabel[locale]}
              {x.required ? ' *' : ''}
            </Tag>
          ))}
        </Flex>
      ),
    },
    {
      key: 'consent',
      label: t('forms.builder.consent'),
      span: 2,
      children: f.consent ? (
        <span>
          {f.consent.required ? (
            <Tag color="blue" className="consent-tag">
              {t('forms.builder.consentRequired')}
            </Tag>
          ) : null}
          {pick(f.consent.text, locale)}
        </span>
      ) : (
        dash
      ),
    },
    { key: 'after', label: t('forms.builder.after'), span: 2, children: successText },
    { key: 'campaign', label: t('forms.fields.campaignId'), children: f.campaignId ?? dash },
    {
      key: 'handRaise',
      label: t('forms.fields.handRaise'),
      children: f.handRaise ? <Tag color="gold">{t('forms.handRaiseTag')}</Tag> : t('common.no'),
    },
    {
      key: 'tags',
      label: t('records.fields.tags'),
      children: f.tags.length ? <TagList tags={f.tags} /> : dash,
    },
    { key: 'created', label: t('records.fields.createdAt'), children: fmt.dateTime(f.createdAt) },
  ];

  return (
    <>
      <PageHeader
        breadcrumb={
          <Breadcrumb
            className="page-breadcrumb"
            items={[{ title: <Link to="/capture/forms">{t('nav.forms')}</Link> }, { title: f.name }]}
          />
        }
        title={f.name}
        tags={<FormStatusTag status={f.status} />}
        subtitle={pick(f.title, locale)}
        extra={
          <>
            <Button
              icon={<ExportOutlined />}
              href={f.hostedPath}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="open-hosted"
            >
              {t('forms.openHosted')}
            </Button>
            {canManage ? (
              <>
                <Button
                  icon={<EditOutlined />}
                  onClick={() => navigate(`/capture/forms/${f.id}/edit`)}
                  data-testid="edit-form"
                >
                  {t('common.edit')}
                </Button>
                {f.status === 'active' ? (
                  <Popconfirm
                    title={t('forms.archiveConfirm')}
                    description={t('forms.archiveHelp')}
                    onConfirm={() => setStatus('archived')}
                    okText={t('forms.archive')}
                    cancelText={t('common.cancel')}
                  >
                    <Button icon={<InboxOutlined />}>{t('forms.archive')}</Button>
                  </Popconfirm>
                ) : (
                  <Button icon={<RollbackOutlined />} onClick={() => void setStatus('active')}>
                    {t('forms.reactivate')}
                  </Button>
                )}
              </>
            ) : null}
          </>
        }
      />
      {f.status === 'archived' ? (
        <Alert type="warning" showIcon className="form-alert" title={t('forms.archivedBanner')} />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('records.sections.details')}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small" items={details} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card>
            <Row gutter={16}>
              <Col span={8}>
                <Statistic title={t('forms.submissions')} value={fmt.number(f.stats.submissions)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('forms.spamDropped')} value={fmt.number(f.stats.spamDropped)} />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('forms.lastSubmission')}
                  value={
                    f.stats.lastSubmissionAt ? fmt.shortDateTime(f.stats.lastSubmissionAt) : t('forms.never')
                  }
                  styles={{ content: { fontSize: 16 } }}
                />
              </Col>
            </Row>
          </Card>
          <EmbedCard id={f.id} />
        </Col>
      </Row>
      {canReadFormSubmissions(me.user.role) ? <SubmissionsCard form={f} /> : null}
    </>
  );
}
