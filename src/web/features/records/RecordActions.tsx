import { DeleteOutlined, EditOutlined, UndoOutlined } from '@ant-design/icons';
import type { UseMutationResult } from '@tanstack/react-query';
import { App, Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { DuplicateAlert } from './DuplicateAlert.tsx';

type Mutation<T> = UseMutationResult<T, Error, void>;

/** Edit, Delete (with confirmation) or Restore, for the header of a detail page. */
export function RecordActions<T>({
  deleted,
  canWrite,
  onEdit,
  remove,
  restore,
  deleteConfirm,
}: {
  deleted: boolean;
  canWrite: boolean;
  onEdit: () => void;
  remove: Mutation<T>;
  restore: Mutation<T>;
  deleteConfirm: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  if (!canWrite) return null;
  if (deleted) {
    return (
      <Button
        icon={<UndoOutlined />}
        loading={restore.isPending}
        onClick={() =>
          restore.mutate(undefined, {
            onSuccess: () => message.success(t('records.restored')),
            onError: (err) => {
              if (!(err instanceof ApiError && err.status === 409)) message.error(errorText(err));
            },
          })
        }
        data-testid="restore"
      >
        {t('common.restore')}
      </Button>
    );
  }
  return (
    <>
      <Button type="primary" icon={<EditOutlined />} onClick={onEdit} data-testid="edit">
        {t('common.edit')}
      </Button>
      <Popconfirm
        title={deleteConfirm}
        description={t('records.deleteHelp')}
        okText={t('common.delete')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onConfirm={() =>
          remove.mutateAsync().then(
            () => message.success(t('records.deleted')),
            (err: unknown) => message.error(errorText(err)),
          )
        }
      >
        <Button danger icon={<DeleteOutlined />} data-testid="delete">
          {t('common.delete')}
        </Button>
      </Popconfirm>
    </>
  );
}

/** A restore refused because another live record took the same e-mail or domain. */
export function RestoreConflict<T>({
  restore,
  pathOf,
}: {
  restore: Mutation<T>;
  pathOf: (id: string) => string;
}) {
  const err = restore.error;
  if (!(err instanceof ApiError && err.status === 409)) return null;
  return <DuplicateAlert message={err.message} to={err.existingId ? pathOf(err.existingId) : null} />;
}
