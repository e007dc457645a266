import { Card, Flex, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../ui/PageHeader.tsx';
import type { SoonKey } from './modules.tsx';

const POINTS = ['point1', 'point2', 'point3', 'point4'] as const;

/** A module not built yet: what it will do, and nothing that pretends to work. */
export function ComingSoonPage({ module, icon }: { module: SoonKey; icon: ReactNode }) {
  const { t } = useTranslation();
  const points = POINTS.map((p) => t(`soon.${module}.${p}`));
  return (
    <>
      <PageHeader
        title={t(`nav.${module}`)}
        tags={<Tag color="gold">{t('common.comingSoon')}</Tag>}
        subtitle={t('soon.notYet')}
      />
      <Card className="soon-card">
        <Flex gap={20} align="flex-start">
          <div className="soon-icon">{icon}</div>
          <div>
            <Typography.Paragraph className="soon-summary">
              {t(`soon.${module}.summary`)}
            </Typography.Paragraph>
            <Typography.Text strong>{t('soon.willDo')}</Typography.Text>
            <ul className="soon-list">
              {points.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </div>
        </Flex>
      </Card>
    </>
  );
}
