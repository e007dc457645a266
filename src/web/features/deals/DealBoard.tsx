import {
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { CSS } from '@dnd-kit/utilities';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Card, Flex, Form, Input, Modal, Select, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BoardDto, DealDto, StageDto } from '../../../contracts/deals.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useNames } from '../records/directory.ts';
import { BOARD_KEY, DEALS, dealPath, formatMinor, useDealSettings } from './api.ts';

/** A pending move that needs a reason first (lost needs a lost reason; leaving won/lost a reason). */
interface PendingMove {
  deal: DealDto;
  stage: StageDto;
}

/** Moves a deal (after asking for what the move needs) and refreshes the board. */
export function useMoveDeal() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [pending, setPending] = useState<PendingMove | null>(null);
  const send = async (deal: DealDto, stage: StageDto, extra: Record<string, string> = {}) => {
    try {
      await api.post<DealDto>(`${DEALS}/${deal.id}/move`, { stageKey: stage.key, ...extra });
      await qc.invalidateQueries({ queryKey: ['deals'] });
      await qc.invalidateQueries({ queryKey: [DEALS] });
      return true;
    } catch (err) {
      message.error(errorText(err));
      return false;
    }
  };
  const move = (deal: DealDto, stage: StageDto) => {
    if (stage.id === deal.stageId) return;
    if (stage.kind === 'lost' || deal.stageKind !== 'open') setPending({ deal, stage });
    else void send(deal, stage);
  };
  return { move, pending, setPending, send };
}

/** The dialog a move opens when it needs a lost reason or a reason to reopen. */
export function MoveReasonModal({ move }: { move: ReturnType<typeof useMoveDeal> }) {
  const { t } = useTranslation();
  const settings = useDealSettings();
  const [form] = Form.useForm<{ lostReason?: string; lostNote?: string; reason?: string }>();
  const p = move.pending;
  const reopening = p ? p.deal.stageKind !== 'open' : false;
  return (
    <Modal
      open={p !== null}
      title={p ? t('deals.moveTo', { stage: p.stage.name }) : ''}
      onCancel={() => move.setPending(null)}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'move-confirm' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          if (!p) return;
          const extra: Record<string, string> = {};
          if (v.lostReason) extra.lostReason = v.lostReason;
          if (v.lostNote) extra.lostNote = v.lostNote;
          if (v.reason) extra.reason = v.reason;
          if (await move.send(p.deal, p.stage, extra)) move.setPending(null);
        }}
      >
        {p?.stage.kind === 'lost' ? (
          <>
            <Form.Item name="lostReason" label={t('deals.fields.lostReason')} rules={[{ required: true }]}>
              <Select
                data-testid="lost-reason"
                options={(settings.data?.lostReasons ?? []).map((r) => ({
                  value: r,
                  label: t(`deals.lostReasons.${r}`, { defaultValue: r }),
                }))}
              />
            </Form.Item>
            <Form.Item name="lostNote" label={t('deals.fields.lostNote')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        ) : null}
        {reopening ? (
          <Form.Item
            name="reason"
            label={t('deals.reopenReason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={2} maxLength={1000} data-testid="reopen-reason" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function DealCard({ deal, locale }: { deal: DealDto; locale: string }) {
  const names = useNames();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: deal.id,
    data: { deal },
  });
  return (
    <div
      ref={setNodeRef}
      {...listeners}
      {...attributes}
      data-testid={`deal-card-${deal.id}`}
      className="deal-card"
      style={{ transform: CSS.Translate.toString(transform), opacity: isDragging ? 0.6 : 1, cursor: 'grab' }}
    >
      <Card size="small" styles={{ body: { padding: 8 } }}>
        <Link to={dealPath(deal.id)} onPointerDown={(e) => e.stopPropagation()}>
          <Typography.Text strong>{deal.name}</Typography.Text>
        </Link>
        <Flex justify="space-between" gap={4} wrap>
          <Typography.Text type="secondary">
            {formatMinor(deal.amountMinor, deal.currency, locale)}
          </Typography.Text>
          {deal.ownerId ? (
            <Typography.Text type="secondary">{names.user(deal.ownerId)}</Typography.Text>
          ) : null}
        </Flex>
      </Card>
    </div>
  );
}

function Column({
  column,
  currency,
  locale,
}: {
  column: BoardDto['columns'][number];
  currency: string;
  locale: string;
}) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: column.stage.id, data: { stage: column.stage } });
  const color = column.stage.kind === 'won' ? 'green' : column.stage.kind === 'lost' ? 'red' : 'blue';
  return (
    <section
      ref={setNodeRef}
      data-testid={`board-column-${column.stage.key}`}
      aria-label={column.stage.name}
      className="board-column"
      style={{
        minWidth: 220,
        flex: '1 0 220px',
        background: isOver ? '#e6f4ff' : '#fafafa',
        borderRadius: 8,
        padding: 8,
        minHeight: 300,
      }}
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{column.stage.name}</Typography.Text>
        <Tag color={color}>{column.stage.probability}%</Tag>
      </Flex>
      <Flex justify="space-between" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary" data-testid={`column-count-${column.stage.key}`}>
          {t('deals.count', { count: column.count })}
        </Typography.Text>
        <Typography.Text data-testid={`column-total-${column.stage.key}`}>
          {formatMinor(column.totalMinor, currency, locale)}
        </Typography.Text>
      </Flex>
      {column.unconverted ? (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {t('deals.unconverted', { count: column.unconverted })}
        </Typography.Text>
      ) : null}
      <Flex vertical gap={6}>
        {column.deals.map((d) => (
          <DealCard key={d.id} deal={d} locale={locale} />
        ))}
      </Flex>
    </section>
  );
}

/** The kanban: one column per stage, sums in the reporting currency, drag (mouse or keyboard) to move. */
export function DealBoard({
  pipelineId,
  ownerId,
}: {
  pipelineId: string | undefined;
  ownerId: string | undefined;
}) {
  const { i18n } = useTranslation();
  const errorText = useErrorText();
  const board = useQuery({
    queryKey: [...BOARD_KEY, pipelineId ?? '', ownerId ?? ''],
    queryFn: () => api.get<BoardDto>(`${DEALS}/board`, { pipelineId, ownerId }),
  });
  const move = useMoveDeal();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor),
  );
  if (board.isLoading) return <Spin />;
  if (board.error) return <Alert type="error" message={errorText(board.error)} />;
  const data = board.data!;
  const onDragEnd = (e: DragEndEvent) => {
    const deal = e.active.data.current?.deal as DealDto | undefined;
    const stage = e.over?.data.current?.stage as StageDto | undefined;
    if (deal && stage) move.move(deal, stage);
  };
  return (
    <>
      <DndContext sensors={sensors} onDragEnd={onDragEnd}>
        <Flex gap={12} style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="deal-board">
          {data.columns.map((c) => (
            <Column key={c.stage.id} column={c} currency={data.reportingCurrency} locale={i18n.language} />
          ))}
        </Flex>
      </DndContext>
      <MoveReasonModal move={move} />
    </>
  );
}
