import { DownloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Progress, Result, Skeleton, Statistic, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ImportDto } from '../../../contracts/capture.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { IMPORTS, isFinished, rejectsUrl, useImport } from './api.ts';

const LIST_PATH: Record<ImportDto['entity'], string | null> = {
  contacts: '/contacts',
  companies: '/companies',
  touches: null,
  deals: '/pipeline',
};

/** An import's live progress (polled every second), then its counts and the rejected rows. */
export function ImportProgress({ id, extra }: { id: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const imp = useImport(id);
  const finished = imp.data ? isFinished(imp.data.status) : false;
  const entity = imp.data?.entity;
  useEffect(() => {
    // The lists (and every timeline) may hold new or changed records now.
    if (!finished || !entity) return;
    void qc.invalidateQueries({ queryKey: [IMPORTS, 'list'] });
    if (entity === 'contacts' || entity === 'touches')
      void qc.invalidateQueries({ queryKey: ['/api/contacts'] });
    if (entity === 'companies' || entity === 'contacts')
      void qc.invalidateQueries({ queryKey: ['/api/companies'] });
    if (entity === 'deals') {
      // Deals change their contacts too (won → customer, a closing touch).
      void qc.invalidateQueries({ queryKey: ['/api/deals'] });
      void qc.invalidateQueries({ queryKey: ['deals'] }); // the board
      void qc.invalidateQueries({ queryKey: ['/api/contacts'] });
    }
    void qc.invalidateQueries({
      predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].endsWith('/timeline'),
    });
  }, [finished, entity, qc]);
  if (imp.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (imp.isError) return <Alert type="error" showIcon title={errorText(imp.error)} />;
  const x = imp.data;
  const done = isFinished(x.status);
  const list = LIST_PATH[x.entity];
  const counts = (
    <Flex wrap justify="center" gap={40} className="import-counts" data-testid="import-counts">
      {(
        [
          ['rowsSeen', x.rowsSeen],
          ['inserted', x.inserted],
          ['updated', x.updated],
          ['skipped', x.skipped],
          ['rejected', x.rejected],
        ] as const
      ).map(([key, value]) => (
        <Statistic
          key={key}
          title={t(`imports.counts.${key}`)}
          value={fmt.number(value)}
          styles={key === 'rejected' && value > 0 ? { content: { color: '#cf1322' } } : undefined}
        />
      ))}
    </Flex>
  );
  const rejects =
    x.rejected > 0 ? (
      <Button icon={<DownloadOutlined />} href={rejectsUrl(x.id)} download data-testid="download-rejects">
        {t('imports.downloadRejects', { n: x.rejected })}
      </Button>
    ) : null;

  if (!done) {
    return (
      <Card data-testid="import-progress">
        <Typography.Title level={5} className="progress-title">
          {t(`imports.status.${x.status}`)}
        </Typography.Title>
        <Progress percent={x.progress} status="active" data-testid="import-progress-bar" />
        <Typography.Paragraph type="secondary">
          {t('imports.running', { seen: fmt.number(x.rowsSeen), valid: fmt.number(x.rowsValid) })}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t('imports.canLeave')}</Typography.Text>
      </Card>
    );
  }

  const failed = x.status === 'failed';
  const title = failed
    ? t('imports.result.failed')
    : x.status === 'validated'
      ? t('imports.result.validated')
      : t('imports.result.completed');
  const sub = failed
    ? (x.error ?? '')
    : x.status === 'validated'
      ? t('imports.result.validatedHelp', {
          valid: fmt.number(x.rowsValid),
          rejected: fmt.number(x.rejected),
        })
      : t('imports.result.completedHelp', { at: fmt.dateTime(x.finishedAt) });
  return (
    <Card data-testid="import-result">
      <Progress percent={100} status={failed ? 'exception' : 'success'} data-testid="import-progress-bar" />
      <Result
        status={failed ? 'error' : x.status === 'validated' ? 'info' : x.rejected > 0 ? 'warning' : 'success'}
        title={<span data-testid="import-status">{title}</span>}
        subTitle={sub}
        extra={
          <Flex gap={8} wrap justify="center">
            {rejects}
            {list && !failed && x.status !== 'validated' ? (
              <Button type="primary" onClick={() => navigate(list)}>
                {t(`imports.openList.${x.entity}`)}
              </Button>
            ) : null}
            {extra}
          </Flex>
        }
      >
        {counts}
      </Result>
    </Card>
  );
}
