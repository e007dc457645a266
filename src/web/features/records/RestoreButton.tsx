import { UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';

/** Row action in the Deleted list; a 409 (e-mail or domain taken meanwhile) links to the other record. */
export function RestoreButton({
  base,
  id,
  pathOf,
}: {
  base: string;
  id: string;
  pathOf: (id: string) => string;
}) {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const restore = useMutation({
    mutationFn: () => api.post(`${base}/${id}/restore`),
    onSuccess: async () => {
      message.success(t('records.restored'));
      await qc.invalidateQueries({ queryKey: [base] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) {
        notification.warning({
          title: t('records.duplicate'),
          description: (
            <>
              {err.message}{' '}
              {err.existingId ? <Link to={pathOf(err.existingId)}>{t('records.openExisting')}</Link> : null}
            </>
          ),
        });
      } else message.error(errorText(err));
    },
  });
  return (
    <Button size="small" icon={<UndoOutlined />} loading={restore.isPending} onClick={() => restore.mutate()}>
      {t('common.restore')}
    </Button>
  );
}
