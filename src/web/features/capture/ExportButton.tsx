import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { canImport } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { exportUrl, type ImportEntity } from './api.ts';

/**
 * "Export CSV": a plain link, so the browser streams a large export straight to disk. The server
 * applies the user's visibility and records the export in the audit log.
 */
export function ExportButton({ entity }: { entity: ImportEntity }) {
  const { t } = useTranslation();
  return (
    <Button icon={<DownloadOutlined />} href={exportUrl(entity)} download data-testid={`export-${entity}`}>
      {entity === 'touches' ? t('exports.touches') : t('exports.csv')}
    </Button>
  );
}

/** "Import" on a list, for the roles that may import; opens the wizard on that kind of record. */
export function ImportButton({ entity }: { entity: ImportEntity }) {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  if (!canImport(me.user.role)) return null;
  return (
    <Button
      icon={<UploadOutlined />}
      onClick={() => navigate(`/capture/imports/new?entity=${entity}`)}
      data-testid={`import-${entity}`}
    >
      {t('imports.button')}
    </Button>
  );
}
