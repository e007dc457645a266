import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../app/errors.ts';
import { useFormat } from '../../app/format.ts';
import { useSession } from '../../app/session.tsx';
import { useReps } from './admin.ts';
import { AbsenceModal, clearAbsence } from './RepModals.tsx';

/** On My profile for sales people: mark yourself absent so routing skips you meanwhile. */
export function MyAbsenceCard() {
  const { t } = useTranslation();
  const me = useSession();
  const fmt = useFormat();
  const reps = useReps();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  if (me.user.role !== 'sales_rep' && me.user.role !== 'sales_manager') return null;
  const mine = reps.data?.find((r) => r.userId === me.user.id);

  const back = async () => {
    try {
      await clearAbsence(me.user.id);
      await qc.invalidateQueries({ queryKey: ['lifecycle'] });
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <Card className="narrow-card stacked-card" title={t('routing.absence.mine')}>
      <Flex vertical gap={8} align="start">
        <Typography.Text data-testid="my-absence">
          {mine?.away
            ? t('routing.reps.awayUntil', { date: fmt.dateTime(mine.awayUntil) })
            : mine?.awayUntil
              ? t('routing.reps.plannedAway', { date: fmt.dateTime(mine.awayFrom) })
              : t('routing.absence.present')}
        </Typography.Text>
        {mine?.awayUntil ? (
          <Button onClick={() => void back()}>{t('routing.reps.back')}</Button>
        ) : (
          <Button onClick={() => setOpen(true)}>{t('routing.reps.markAbsent')}</Button>
        )}
      </Flex>
      <AbsenceModal userId={me.user.id} name={me.user.name} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
