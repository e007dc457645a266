import { Alert, Button, Card, Empty, Flex, List, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyDayDto, TaskDto, TaskType } from '../../../contracts/lifecycle.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useFinishTask, useMyDay } from './api.ts';

const SECTIONS: (keyof MyDayDto)[] = ['overdue', 'today', 'upcoming', 'undated'];

/** My day: the user's open tasks (manual and playbook), overdue, today, upcoming. */
export function MyDayPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const day = useMyDay();
  const finish = useFinishTask();
  const item = (task: TaskDto) => (
    <List.Item
      actions={[
        <Button
          key="done"
          size="small"
          type="primary"
          onClick={() => finish.mutate({ id: task.id, status: 'complete' })}
        >
          {t('lifecycle.done')}
        </Button>,
        <Button key="cancel" size="small" onClick={() => finish.mutate({ id: task.id, status: 'cancel' })}>
          {t('lifecycle.cancelTask')}
        </Button>,
      ]}
    >
      <List.Item.Meta
        title={
          <Flex gap={8} align="center">
            <Tag>{t(`lifecycle.taskTypes.${task.type as TaskType}`)}</Tag>
            {task.title}
            {task.source === 'playbook' ? <Tag color="purple">{t('lifecycle.playbook')}</Tag> : null}
          </Flex>
        }
        description={
          <>
            {task.dueAt ? fmt.dateTime(task.dueAt) : t('lifecycle.noDueDate')}
            {task.contactId ? (
              <>
                {' · '}
                <Link to={`/contacts/${task.contactId}`}>{task.contactName ?? task.contactId}</Link>
              </>
            ) : null}
          </>
        }
      />
    </List.Item>
  );
  return (
    <>
      <PageHeader title={t('lifecycle.myDay')} />
      {day.isError ? <Alert type="error" message={errorText(day.error)} /> : null}
      {finish.isError ? <Alert type="error" message={errorText(finish.error)} /> : null}
      {SECTIONS.map((s) => (
        <Card key={s} title={t(`lifecycle.day.${s}`)} className="stacked-card" data-testid={`my-day-${s}`}>
          {day.data?.[s].length ? (
            <List dataSource={day.data[s]} renderItem={item} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lifecycle.nothing')} />
          )}
        </Card>
      ))}
    </>
  );
}
