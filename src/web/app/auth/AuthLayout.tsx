import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { Logo } from './Logo.tsx';

/** Centered card for set-up and sign-in, with the language switch in the corner. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <Flex justify="space-between" align="center" className="auth-top">
        <Flex align="center" gap={10}>
          <Logo size={30} />
          <Typography.Text strong style={{ color: '#fff', fontSize: 19 }}>
            {t('app.name')}
          </Typography.Text>
        </Flex>
        <LanguageSwitch variant="default" />
      </Flex>
      <Flex justify="center" className="auth-body">
        <Card className="auth-card">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {title}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>
          {children}
        </Card>
      </Flex>
      <Typography.Paragraph type="secondary" className="auth-footer">
        {t('app.tagline')}
      </Typography.Paragraph>
    </div>
  );
}
