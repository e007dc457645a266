import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScoreExplanation } from '../../../contracts/scoring.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';

const COLORS = { cold: 'blue', warm: 'orange', hot: 'red' } as const;

/** The contact page's score card: the score, its temperature, and each rule that fired with its points. */
export function ScorePanel({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const q = useQuery({
    queryKey: ['scoring', 'contact', contactId],
    queryFn: () => api.get<ScoreExplanation>(`/api/contacts/${contactId}/score`),
  });
  if (!q.data) return q.isError ? <Alert type="error" message={errorText(q.error)} /> : null;
  const s = q.data;
  return (
    <Card title={t('scoring.panel')} className="stacked-card" data-testid="score-panel">
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'score',
            label: t('scoring.score'),
            children: (
              <Tag color={COLORS[s.temperature]} data-testid="score-value">
                {s.score} · {t(`scoring.temperatures.${s.temperature}`)}
              </Tag>
            ),
          },
          { key: 'fit', label: t('scoring.fit'), children: s.fit },
          { key: 'engagement', label: t('scoring.engagement'), children: s.engagement },
          {
            key: 'decay',
            label: t('scoring.decay'),
            children: t('scoring.decayText', { points: s.decay, days: s.halfLifeDays }),
          },
        ]}
      />
      <List
        size="small"
        header={<Typography.Text strong>{t('scoring.reasons')}</Typography.Text>}
        locale={{ emptyText: t('scoring.noReasons') }}
        dataSource={s.reasons}
        renderItem={(r) => (
          <List.Item data-testid="score-reason">
            <span>
              <Tag>{t(`scoring.kinds.${r.kind}`)}</Tag>
              {r.label}
              {r.touches !== undefined ? ` (${t('scoring.touchCount', { count: r.touches })})` : ''}
            </span>
            <span>
              {r.points > 0 ? `+${r.points}` : r.points}
              {r.decayedPoints !== undefined ? ` → ${r.decayedPoints}` : ''}
            </span>
          </List.Item>
        )}
      />
    </Card>
  );
}
