import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** A 409 from the server: say what clashed and link to the record that already exists. */
export function DuplicateAlert({ message, to }: { message: string; to: string | null }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      className="form-alert"
      title={t('records.duplicate')}
      description={
        <>
          <div>{message}</div>
          {to ? (
            <Link to={to} data-testid="open-existing">
              {t('records.openExisting')}
            </Link>
          ) : null}
        </>
      }
    />
  );
}
