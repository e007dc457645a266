import { Alert, Button, Drawer, Flex, Form, type FormInstance, Grid } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DuplicateAlert } from './DuplicateAlert.tsx';

export type SubmitProblem =
  | { kind: 'duplicate'; message: string; to: string | null }
  | { kind: 'error'; message: string };

/** The create/edit drawer shared by contacts and companies: form, problems on top, actions below. */
export function RecordDrawer<V extends object>({
  open,
  title,
  form,
  busy,
  problem,
  onClose,
  onFinish,
  initialValues,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  busy: boolean;
  problem: SubmitProblem | null;
  onClose: () => void;
  onFinish: (values: V) => void;
  initialValues: Partial<V>;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={open}
      title={title}
      onClose={onClose}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
      data-testid={testId}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="drawer-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {problem?.kind === 'duplicate' ? <DuplicateAlert message={problem.message} to={problem.to} /> : null}
      {problem?.kind === 'error' ? (
        <Alert type="error" showIcon title={problem.message} className="form-alert" />
      ) : null}
      <Form<V>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={initialValues}
        scrollToFirstError
        preserve={false}
      >
        {children}
      </Form>
    </Drawer>
  );
}
