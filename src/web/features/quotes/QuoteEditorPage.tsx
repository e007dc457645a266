import { CheckOutlined, CloseOutlined, DownloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { QuoteDto } from '../../../contracts/quotes.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { canApproveQuotes, canWriteQuotes } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { FullPageSpin } from '../../ui/FullPage.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import {
  formatMinor,
  QUOTES,
  quotePath,
  STATUS_COLORS,
  usePriceList,
  usePriceLists,
  useQuote,
} from './api.ts';
import { type DraftLine, linesFromQuote, QuoteLinesEditor, toLineInputs } from './QuoteLinesEditor.tsx';

/** Where a deal's page lives (the deals module's route). */
export const dealPath = (id: string) => `/pipeline/deals/${id}`;

const APPROVAL_COLORS: Record<QuoteDto['approval']['state'], string> = {
  not_needed: 'default',
  required: 'orange',
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
};

/** One quote: lines, discounts and totals while a draft; approval, sending and the PDF after. */
export function QuoteEditorPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const me = useSession();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const quote = useQuote(id);
  const lists = usePriceLists();
  const q = quote.data;
  const [priceListId, setPriceListId] = useState<string | null>(null);
  const prices = usePriceList(priceListId);
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [discount, setDiscount] = useState(0);
  const [validUntil, setValidUntil] = useState('');
  const [notes, setNotes] = useState('');
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [comment, setComment] = useState('');

  useEffect(() => {
    if (!q) return;
    setPriceListId(q.priceListId);
    setLines(linesFromQuote(q));
    setDiscount(q.discountPercent);
    setValidUntil(q.validUntil);
    setNotes(q.notes ?? '');
    setDirty(false);
  }, [q]);

  if (quote.isLoading) return <FullPageSpin label={t('app.loading')} />;
  if (quote.error || !q) return <Alert type="error" showIcon message={errorText(quote.error)} />;

  const money = (minor: number) => formatMinor(minor, q.currency, i18n.language);
  const canWrite = canWriteQuotes(me.user.role);
  const editable = canWrite && q.status === 'draft';
  const change =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setDirty(true);
    };

  const run = async (name: string, fn: () => Promise<QuoteDto>, done?: string) => {
    setBusy(name);
    setError(null);
    try {
      const next = await fn();
      qc.setQueryData([QUOTES, next.id], next);
      await qc.invalidateQueries({ queryKey: [QUOTES, 'list'] });
      if (done) message.success(done);
      return next;
    } catch (err) {
      const fields = (err as { fields?: Record<string, string> }).fields ?? {};
      const detail = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
      setError([errorText(err), ...detail].join(' · '));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const save = () =>
    run(
      'save',
      () =>
        api.patch<QuoteDto>(`${QUOTES}/${q.id}`, {
          priceListId,
          discountPercent: discount,
          validUntil,
          notes: notes.trim() || null,
          lines: toLineInputs(lines),
        }),
      t('quotes.saved'),
    );
  const act = (path: string, body?: unknown, done?: string) =>
    run(path, () => api.post<QuoteDto>(`${QUOTES}/${q.id}/${path}`, body), done);
  const decide = async () => {
    if (!deciding) return;
    const ok = await act(
      deciding,
      { comment: comment.trim() || undefined },
      deciding === 'approve' ? t('quotes.approval.approved') : t('quotes.approval.rejected'),
    );
    if (ok) {
      setDeciding(null);
      setComment('');
    }
  };
  const newVersion = async () => {
    const next = await run('versions', () => api.post<QuoteDto>(`${QUOTES}/${q.id}/versions`));
    if (next) navigate(quotePath(next.id));
  };

  const needsApproval = q.approval.state === 'required' || q.approval.state === 'rejected';
  const actions = (
    <Space wrap>
      {editable && dirty ? (
        <Button type="primary" onClick={save} loading={busy === 'save'} data-testid="save-quote">
          {t('common.save')}
        </Button>
      ) : null}
      {editable && !dirty && needsApproval ? (
        <Button
          onClick={() => act('request-approval', undefined, t('quotes.approval.requested'))}
          loading={busy === 'request-approval'}
          data-testid="request-approval"
        >
          {t('quotes.approval.request')}
        </Button>
      ) : null}
      {editable && !dirty && !needsApproval ? (
        <Button
          type="primary"
          icon={<SendOutlined />}
          onClick={() => act('send', undefined, t('quotes.sentDone'))}
          loading={busy === 'send'}
          data-testid="send-quote"
        >
          {t('quotes.send')}
        </Button>
      ) : null}
      {q.status === 'pending_approval' &&
      canApproveQuotes(me.user.role) &&
      q.approval.requestedBy !== me.user.id ? (
        <>
          <Button
            type="primary"
            icon={<CheckOutlined />}
            onClick={() => setDeciding('approve')}
            data-testid="approve-quote"
          >
            {t('quotes.approval.approve')}
          </Button>
          <Button
            danger
            icon={<CloseOutlined />}
            onClick={() => setDeciding('reject')}
            data-testid="reject-quote"
          >
            {t('quotes.approval.reject')}
          </Button>
        </>
      ) : null}
      {canWrite && q.status === 'sent' ? (
        <>
          <Button
            onClick={() => act('answer', { outcome: 'accepted' }, t('quotes.answered'))}
            data-testid="mark-accepted"
          >
            {t('quotes.markAccepted')}
          </Button>
          <Button
            onClick={() => act('answer', { outcome: 'rejected' }, t('quotes.answered'))}
            data-testid="mark-rejected"
          >
            {t('quotes.markRejected')}
          </Button>
        </>
      ) : null}
      {canWrite && !editable && q.status !== 'pending_approval' && !q.nextVersionId ? (
        <Button onClick={newVersion} loading={busy === 'versions'} data-testid="new-version">
          {t('quotes.newVersion')}
        </Button>
      ) : null}
      <Button icon={<DownloadOutlined />} href={`${QUOTES}/${q.id}/pdf`} data-testid="download-pdf">
        {t('quotes.downloadPdf')}
      </Button>
    </Space>
  );

  return (
    <>
      <PageHeader
        title={`${t('quotes.quote')} ${q.label}`}
        tags={
          <>
            <Tag color={STATUS_COLORS[q.status]} data-testid="quote-status">
              {t(`quotes.status.${q.status}`)}
            </Tag>
            <Tag color={APPROVAL_COLORS[q.approval.state]} data-testid="approval-state">
              {t(`quotes.approvalState.${q.approval.state}`)}
            </Tag>
          </>
        }
        subtitle={
          <Link to={dealPath(q.dealId)} data-testid="quote-deal-link">
            {t('quotes.onDeal')}
          </Link>
        }
        extra={actions}
      />
      {error ? (
        <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="quote-error" />
      ) : null}
      {needsApproval || q.status === 'pending_approval' || q.approval.comment ? (
        <Alert
          style={{ marginBottom: 16 }}
          type={
            q.approval.state === 'rejected'
              ? 'error'
              : q.approval.state === 'approved'
                ? 'success'
                : 'warning'
          }
          showIcon
          data-testid="approval-alert"
          message={t('quotes.approval.explain', {
            discount: q.totals.effectiveDiscountPercent,
            threshold: q.approval.thresholdPercent,
          })}
          description={
            q.approval.comment ? `${t('quotes.approval.comment')}: ${q.approval.comment}` : undefined
          }
        />
      ) : null}
      {q.previousVersionId || q.nextVersionId ? (
        <Flex gap={16} style={{ marginBottom: 16 }}>
          {q.previousVersionId ? (
            <Link to={quotePath(q.previousVersionId)}>{t('quotes.previousVersion')}</Link>
          ) : null}
          {q.nextVersionId ? <Link to={quotePath(q.nextVersionId)}>{t('quotes.nextVersion')}</Link> : null}
        </Flex>
      ) : null}
      <Row gutter={16}>
        <Col xs={24} xl={17}>
          <Card title={t('quotes.lines')}>
            <Flex gap={16} wrap style={{ marginBottom: 16 }}>
              <Space direction="vertical" size={2}>
                <Typography.Text type="secondary">{t('nav.priceLists')}</Typography.Text>
                <Select
                  style={{ minWidth: 240 }}
                  allowClear
                  value={priceListId}
                  disabled={!editable}
                  onChange={change((v: string | undefined) => setPriceListId(v ?? null))}
                  options={(lists.data ?? [])
                    .filter((l) => l.currency === q.currency || l.id === priceListId)
                    .map((l) => ({ value: l.id, label: `${l.name} (${l.currency})` }))}
                  data-testid="quote-price-list"
                />
              </Space>
              <Space direction="vertical" size={2}>
                <Typography.Text type="secondary">{t('quotes.validUntil')}</Typography.Text>
                <Input
                  type="date"
                  value={validUntil}
                  disabled={!editable}
                  onChange={(e) => change(setValidUntil)(e.target.value)}
                />
              </Space>
              <Space direction="vertical" size={2}>
                <Typography.Text type="secondary">{t('quotes.quoteDiscount')}</Typography.Text>
                <InputNumber
                  min={0}
                  max={100}
                  precision={2}
                  addonAfter="%"
                  value={discount}
                  disabled={!editable}
                  onChange={(v) => change(setDiscount)(Number(v ?? 0))}
                  data-testid="quote-discount"
                />
              </Space>
            </Flex>
            <QuoteLinesEditor
              lines={lines}
              onChange={change(setLines)}
              currency={q.currency}
              prices={prices.data?.items ?? []}
              editable={editable}
              format={money}
            />
            <Input.TextArea
              style={{ marginTop: 16 }}
              rows={3}
              placeholder={t('quotes.notes')}
              value={notes}
              disabled={!editable}
              onChange={(e) => change(setNotes)(e.target.value)}
            />
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card title={t('quotes.totals')} data-testid="quote-totals">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('quotes.gross')}>{money(q.totals.grossMinor)}</Descriptions.Item>
              <Descriptions.Item label={t('quotes.lineDiscounts')}>
                -{money(q.totals.lineDiscountMinor)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.subtotal')}>
                {money(q.totals.subtotalMinor)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.quoteDiscount')}>
                -{money(q.totals.quoteDiscountMinor)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.tax')}>{money(q.totals.taxMinor)}</Descriptions.Item>
              <Descriptions.Item label={<strong>{t('quotes.total')}</strong>}>
                <strong data-testid="quote-total">{money(q.totals.totalMinor)}</strong>
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.effectiveDiscount')}>
                <span data-testid="effective-discount">{q.totals.effectiveDiscountPercent} %</span>
              </Descriptions.Item>
            </Descriptions>
            {dirty ? <Typography.Text type="secondary">{t('quotes.unsaved')}</Typography.Text> : null}
            {q.sentAt ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('quotes.sentNote')}
              </Typography.Paragraph>
            ) : null}
          </Card>
        </Col>
      </Row>
      <Modal
        open={deciding !== null}
        title={deciding === 'reject' ? t('quotes.approval.reject') : t('quotes.approval.approve')}
        onCancel={() => setDeciding(null)}
        onOk={decide}
        okText={deciding === 'reject' ? t('quotes.approval.reject') : t('quotes.approval.approve')}
        okButtonProps={{
          danger: deciding === 'reject',
          disabled: deciding === 'reject' && !comment.trim(),
          id: 'confirm-decision',
        }}
        confirmLoading={busy === deciding}
      >
        <Input.TextArea
          rows={3}
          placeholder={t('quotes.approval.comment')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          data-testid="decision-comment"
        />
      </Modal>
    </>
  );
}
