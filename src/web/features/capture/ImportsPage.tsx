import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Progress, Table, type TableProps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ImportDto } from '../../../contracts/capture.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { importPath, isFinished, rejectsUrl, useImports } from './api.ts';
import { ExportButton } from './ExportButton.tsx';

const STATUS_COLOR: Record<ImportDto['status'], string> = {
  pending: 'default',
  staging: 'processing',
  merging: 'processing',
  completed: 'success',
  validated: 'cyan',
  failed: 'error',
};

export function ImportStatusTag({ status }: { status: ImportDto['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`imports.statusShort.${status}`)}</Tag>;
}

/** Recent imports (the server keeps the last 50), each openable for its counts and rejected rows. */
export function ImportsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const imports = useImports();

  const columns: TableProps<ImportDto>['columns'] = [
    {
      key: 'file',
      title: t('imports.file'),
      render: (_, x) => (
        <Link to={importPath(x.id)} className="record-name">
          {x.fileName}
        </Link>
      ),
      ellipsis: true,
    },
    {
      key: 'entity',
      title: t('imports.what'),
      render: (_, x) => t(`imports.entities.${x.entity}`),
      width: 120,
      responsive: ['md'],
    },
    {
      key: 'status',
      title: t('imports.statusLabel'),
      width: 200,
      render: (_, x) =>
        isFinished(x.status) ? (
          <Flex gap={4} wrap>
            <ImportStatusTag status={x.status} />
            {x.dryRun ? <Tag>{t('imports.dryRunTag')}</Tag> : null}
          </Flex>
        ) : (
          <Progress percent={x.progress} size="small" status="active" />
        ),
    },
    {
      key: 'rows',
      title: t('imports.counts.rowsSeen'),
      align: 'right',
      render: (_, x) => fmt.number(x.rowsSeen),
      responsive: ['lg'],
    },
    {
      key: 'inserted',
      title: t('imports.counts.inserted'),
      align: 'right',
      render: (_, x) => fmt.number(x.inserted),
    },
    {
      key: 'updated',
      title: t('imports.counts.updated'),
      align: 'right',
      render: (_, x) => fmt.number(x.updated),
      responsive: ['md'],
    },
    {
      key: 'skipped',
      title: t('imports.counts.skipped'),
      align: 'right',
      render: (_, x) => fmt.number(x.skipped),
      responsive: ['lg'],
    },
    {
      key: 'rejected',
      title: t('imports.counts.rejected'),
      align: 'right',
      render: (_, x) =>
        x.rejected ? (
          <a href={rejectsUrl(x.id)} download title={t('imports.downloadRejects', { n: x.rejected })}>
            <DownloadOutlined /> {fmt.number(x.rejected)}
          </a>
        ) : (
          '0'
        ),
    },
    {
      key: 'createdAt',
      title: t('imports.startedAt'),
      render: (_, x) => fmt.shortDateTime(x.createdAt),
      className: 'nowrap',
      responsive: ['sm'],
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.imports')}
        subtitle={t('imports.subtitle')}
        extra={
          <>
            <ExportButton entity="touches" />
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/capture/imports/new')}
              data-testid="new-import"
            >
              {t('imports.new')}
            </Button>
          </>
        }
      />
      {imports.isError ? (
        <Alert type="error" showIcon title={errorText(imports.error)} className="form-alert" />
      ) : null}
      <Card className="table-card">
        <Table<ImportDto>
          rowKey="id"
          columns={columns}
          dataSource={imports.data?.items ?? []}
          loading={imports.isPending}
          pagination={false}
          size="middle"
          locale={{ emptyText: imports.isPending ? ' ' : t('imports.empty') }}
          data-testid="imports-table"
        />
      </Card>
      <Typography.Paragraph type="secondary" className="list-footer">
        {t('imports.keptHelp')}
      </Typography.Paragraph>
    </>
  );
}
