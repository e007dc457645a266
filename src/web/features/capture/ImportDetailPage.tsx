import { Breadcrumb, Button, Flex, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useImport } from './api.ts';
import { ImportProgress } from './ImportProgress.tsx';
import { ImportStatusTag } from './ImportsPage.tsx';

/** One import: live progress while it runs, then its counts and rejected rows. */
export function ImportDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const imp = useImport(id);
  const x = imp.data;
  return (
    <>
      <PageHeader
        breadcrumb={
          <Breadcrumb
            className="page-breadcrumb"
            items={[
              { title: <Link to="/capture/imports">{t('nav.imports')}</Link> },
              { title: x?.fileName ?? id },
            ]}
          />
        }
        title={x?.fileName ?? t('nav.imports')}
        tags={
          x ? (
            <Flex gap={4}>
              <ImportStatusTag status={x.status} />
              {x.dryRun ? <Tag>{t('imports.dryRunTag')}</Tag> : null}
            </Flex>
          ) : null
        }
        subtitle={
          x
            ? t('imports.detailSubtitle', {
                what: t(`imports.entities.${x.entity}`),
                at: fmt.dateTime(x.createdAt),
              })
            : undefined
        }
      />
      <ImportProgress
        id={id}
        extra={<Button onClick={() => navigate('/capture/imports/new')}>{t('imports.new')}</Button>}
      />
    </>
  );
}
