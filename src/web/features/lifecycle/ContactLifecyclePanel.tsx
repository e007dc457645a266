import { Alert, Button, Card, Descriptions, Flex, Input, Modal, Select, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskType } from '../../../contracts/lifecycle.ts';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import type { Temp } from './api.ts';
import { useContactLifecycle, useLifecycleAction } from './api.ts';
import { TEMPERATURE_COLORS } from './LeadsPage.tsx';

type Exit = 'disqualify' | 'recycle';

/** The contact page's lifecycle card: stage, owner, SLA, next best action, history, and the buttons. */
export function ContactLifecyclePanel({ contactId, canWrite }: { contactId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const lc = useContactLifecycle(contactId);
  const act = useLifecycleAction(contactId);
  const [exit, setExit] = useState<Exit | null>(null);
  const [reason, setReason] = useState('');
  if (!lc.data) return lc.isError ? <Alert type="error" message={errorText(lc.error)} /> : null;
  const d = lc.data;
  const a = d.assignment;
  return (
    <Card title={t('lifecycle.panel')} className="stacked-card" data-testid="lifecycle-panel">
      {act.isError ? (
        <Alert type="error" message={errorText(act.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'stage',
            label: t('lifecycle.stage'),
            children: <Tag data-testid="lifecycle-stage">{t(`lifecycle.stages.${d.stage}`)}</Tag>,
          },
          {
            key: 'temp',
            label: t('lifecycle.temperature'),
            children: (
              <Tag color={TEMPERATURE_COLORS[d.temperature]}>
                {t(`lifecycle.temperatures.${d.temperature as Temp}`)} · {d.score}
              </Tag>
            ),
          },
          { key: 'owner', label: t('lifecycle.owner'), children: d.ownerName ?? '—' },
          { key: 'touches', label: t('lifecycle.touches'), children: `${d.touches} / ${d.cadenceTarget}` },
          {
            key: 'sla',
            label: t('lifecycle.sla'),
            children: a ? (
              a.breachedAt ? (
                <Tag color="red">{t('lifecycle.breached')}</Tag>
              ) : a.firstSalesTouchAt ? (
                t('lifecycle.slaMet')
              ) : (
                `${t('lifecycle.slaDue')}: ${fmt.dateTime(a.slaDueAt)}`
              )
            ) : (
              '—'
            ),
          },
          { key: 'rule', label: t('lifecycle.assignedBy'), children: a?.ruleLabel ?? '—' },
          {
            key: 'next',
            label: t('lifecycle.nextAction'),
            children: d.nextAction ? (
              <span data-testid="next-action">
                {t(`lifecycle.taskTypes.${d.nextAction.type as TaskType}`)}: {d.nextAction.title}
                {d.nextAction.dueAt ? ` (${fmt.dateTime(d.nextAction.dueAt)})` : ''}
              </span>
            ) : (
              '—'
            ),
          },
        ]}
      />
      {canWrite ? (
        <Flex gap={8} wrap style={{ margin: '12px 0' }}>
          {d.stage === 'mql' || d.stage === 'lead' ? (
            <Button type="primary" loading={act.isPending} onClick={() => act.mutate({ action: 'accept' })}>
              {t('lifecycle.accept')}
            </Button>
          ) : null}
          <Button danger onClick={() => setExit('disqualify')}>
            {t('lifecycle.disqualify')}
          </Button>
          <Button onClick={() => setExit('recycle')}>{t('lifecycle.recycle')}</Button>
        </Flex>
      ) : null}
      <Timeline
        items={d.history.map((h) => ({
          key: h.id,
          children: `${fmt.dateTime(h.at)} · ${t(`lifecycle.stages.${h.from}`)} → ${t(`lifecycle.stages.${h.to}`)} · ${t(`lifecycle.causes.${h.cause}`)}${h.actorName ? ` (${h.actorName})` : ''}${h.reason ? ` · ${h.reason}` : ''}`,
        }))}
      />
      <Modal
        open={exit !== null}
        title={exit ? t(`lifecycle.${exit}`) : ''}
        okButtonProps={{ disabled: !reason }}
        onCancel={() => setExit(null)}
        onOk={() => {
          if (exit) act.mutate({ action: exit, reason }, { onSuccess: () => setExit(null) });
        }}
      >
        {exit === 'disqualify' ? (
          <Select
            style={{ width: '100%' }}
            placeholder={t('lifecycle.reason')}
            options={d.disqualifyReasons.map((r) => ({
              value: r,
              label: t(`lifecycle.reasons.${r}`, { defaultValue: r }),
            }))}
            onChange={(v: string) => setReason(v)}
          />
        ) : (
          <Input placeholder={t('lifecycle.reason')} onChange={(e) => setReason(e.target.value)} />
        )}
      </Modal>
    </Card>
  );
}
