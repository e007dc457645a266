import { CheckOutlined, GlobalOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorText } from './errors.ts';
import { currentLocale, isLocale, LOCALES } from './i18n/index.ts';
import { useChangeLocale } from './session.tsx';

/** Header control: switches the language at once and saves it for the signed-in user. */
export function LanguageSwitch({ variant = 'text' }: { variant?: 'text' | 'default' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const changeLocale = useChangeLocale();
  const locale = currentLocale();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({
          key: l,
          label: <span data-testid={`language-${l}`}>{t(`languages.${l}`)}</span>,
          extra: l === locale ? <CheckOutlined /> : null,
        })),
        onClick: ({ key }) => {
          if (!isLocale(key)) return;
          changeLocale(key).catch((err: unknown) =>
            message.error(t('profile.saveFailed', { reason: errorText(err) })),
          );
        },
      }}
    >
      <Button
        type={variant === 'text' ? 'text' : 'default'}
        icon={<GlobalOutlined />}
        data-testid="language-switch"
      >
        {t(`languages.${locale}`)}
      </Button>
    </Dropdown>
  );
}
