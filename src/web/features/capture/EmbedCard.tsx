import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Segmented, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../app/errors.ts';
import { copyText } from '../../ui/copyText.ts';
import { useEmbed } from './formsApi.ts';

type Kind = 'script' | 'iframe' | 'url';

/** Where the form lives: its hosted address and the snippets to put it on another site. */
export function EmbedCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const embed = useEmbed(id);
  const [kind, setKind] = useState<Kind>('script');

  let body = null;
  if (embed.isPending) body = <Skeleton active paragraph={{ rows: 3 }} />;
  else if (embed.isError) body = <Alert type="error" showIcon title={errorText(embed.error)} />;
  else {
    const text =
      kind === 'script' ? embed.data.script : kind === 'iframe' ? embed.data.iframe : embed.data.url;
    body = (
      <>
        <Typography.Paragraph type="secondary">{t(`forms.embed.help.${kind}`)}</Typography.Paragraph>
        <pre className="embed-code" data-testid="embed-code">
          {text}
        </pre>
        <Flex justify="flex-end">
          <Button
            icon={<CopyOutlined />}
            onClick={async () => {
              if (await copyText(text)) message.success(t('forms.embed.copied'));
              else message.error(t('forms.embed.copyFailed'));
            }}
            data-testid="copy-embed"
          >
            {t('forms.embed.copy')}
          </Button>
        </Flex>
      </>
    );
  }
  return (
    <Card
      title={t('forms.embed.title')}
      className="stacked-card"
      extra={
        <Segmented<Kind>
          size="small"
          value={kind}
          onChange={setKind}
          options={(['script', 'iframe', 'url'] as const).map((k) => ({
            value: k,
            label: t(`forms.embed.${k}`),
          }))}
        />
      }
    >
      {body}
    </Card>
  );
}
