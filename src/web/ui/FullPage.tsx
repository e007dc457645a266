import { Button, Flex, Result, Spin } from 'antd';
import type { ReactNode } from 'react';

export function FullPageSpin({ label }: { label: string }) {
  return (
    <Flex align="center" justify="center" className="full-page" vertical gap={12}>
      <Spin size="large" />
      <span className="muted">{label}</span>
    </Flex>
  );
}

export function FullPageError({
  title,
  detail,
  retryLabel,
  onRetry,
}: {
  title: ReactNode;
  detail?: ReactNode;
  retryLabel: string;
  onRetry: () => void;
}) {
  return (
    <Flex align="center" justify="center" className="full-page">
      <Result
        status="error"
        title={title}
        subTitle={detail}
        extra={
          <Button type="primary" onClick={onRetry}>
            {retryLabel}
          </Button>
        }
      />
    </Flex>
  );
}
