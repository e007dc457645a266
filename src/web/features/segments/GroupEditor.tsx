import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { MEMBER_STATUSES } from '../../../contracts/campaigns.ts';
import {
  type BehaviourCondition,
  type ConditionValue,
  type FieldCondition,
  type MembershipCondition,
  OPERATOR_VALUE,
  type SegmentFieldDto,
  type SegmentGroup,
  type SegmentNode,
  type SegmentOperator,
} from '../../../contracts/segments.ts';
import { TOUCH_TYPES } from '../../../contracts/touches.ts';
import type { en } from '../../app/i18n/en.ts';
import { useCampaigns } from '../campaigns/api.ts';
import { useSegments } from './api.ts';

/** Built-in field names have their labels in en.ts; custom fields bring their own. */
type BuiltinField = keyof typeof en.segments.fields;

type Unit = 'day' | 'week' | 'month' | 'year';
const UNITS: Unit[] = ['day', 'week', 'month', 'year'];
const CALENDAR_UNITS = ['month', 'quarter', 'year'] as const;

/** The label of a catalogue field: custom fields carry theirs, built-ins are translated. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (f: SegmentFieldDto): string => {
    if (f.label) return f.entity === 'company' ? `${t('segments.company')}: ${f.label}` : f.label;
    if (f.entity === 'company')
      return `${t('segments.company')}: ${t(`segments.fields.${f.field.slice(8) as BuiltinField}`)}`;
    return t(`segments.fields.${f.field as BuiltinField}`);
  };
}

/** A value that suits a newly picked operator (so the server never sees a stale shape). */
function defaultValue(op: SegmentOperator, type: SegmentFieldDto['type']): ConditionValue | undefined {
  switch (OPERATOR_VALUE[op]) {
    case 'none':
      return undefined;
    case 'list':
      return [];
    case 'pair':
      return type === 'number' ? [0, 0] : ['', ''];
    case 'relative':
      return { amount: 30, unit: 'day' };
    case 'unit':
      return 'month';
    default:
      return type === 'number' ? 0 : '';
  }
}

function ValueInput({
  field,
  cond,
  onChange,
}: {
  field: SegmentFieldDto | undefined;
  cond: FieldCondition;
  onChange: (value: ConditionValue | undefined) => void;
}) {
  const { t } = useTranslation();
  const kind = OPERATOR_VALUE[cond.op];
  const type = field?.type ?? 'text';
  const options = (field?.options ?? []).map((o) => ({ value: o, label: o }));
  const isDate = type === 'date' || type === 'datetime';
  const scalarInput = (value: unknown, set: (v: string | number) => void, testId: string) =>
    type === 'number' ? (
      <InputNumber
        aria-label={t('segments.value')}
        data-testid={testId}
        value={typeof value === 'number' ? value : null}
        onChange={(v) => set(v ?? 0)}
      />
    ) : options.length > 0 ? (
      <Select
        aria-label={t('segments.value')}
        data-testid={testId}
        style={{ minWidth: 160 }}
        value={typeof value === 'string' && value ? value : undefined}
        onChange={set}
        options={options}
      />
    ) : (
      <Input
        aria-label={t('segments.value')}
        data-testid={testId}
        style={{ width: 200 }}
        placeholder={isDate ? 'YYYY-MM-DD' : undefined}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => set(e.target.value)}
      />
    );
  switch (kind) {
    case 'none':
      return null;
    case 'scalar':
      return scalarInput(cond.value, onChange, 'condition-value');
    case 'list':
      return (
        <Select
          mode="tags"
          aria-label={t('segments.value')}
          data-testid="condition-value"
          style={{ minWidth: 220 }}
          placeholder={t('segments.listPlaceholder')}
          value={Array.isArray(cond.value) ? cond.value.map(String) : []}
          onChange={(v: string[]) => onChange(type === 'number' ? v.map(Number) : v)}
          options={options}
        />
      );
    case 'pair': {
      const pair = Array.isArray(cond.value) ? cond.value : [];
      return (
        <Space>
          {scalarInput(pair[0], (v) => onChange([v, pair[1] ?? v] as ConditionValue), 'condition-from')}
          {t('segments.and')}
          {scalarInput(pair[1], (v) => onChange([pair[0] ?? v, v] as ConditionValue), 'condition-to')}
        </Space>
      );
    }
    case 'relative': {
      const span =
        cond.value && typeof cond.value === 'object' && !Array.isArray(cond.value)
          ? cond.value
          : { amount: 30, unit: 'day' as Unit };
      return (
        <Space>
          <InputNumber
            aria-label={t('segments.amount')}
            min={1}
            value={span.amount}
            onChange={(v) => onChange({ ...span, amount: v ?? 1 })}
          />
          <Select
            aria-label={t('segments.unit')}
            style={{ width: 110 }}
            value={span.unit}
            onChange={(u: Unit) => onChange({ ...span, unit: u })}
            options={UNITS.map((u) => ({ value: u, label: t(`segments.units.${u}`) }))}
          />
        </Space>
      );
    }
    case 'unit':
      return (
        <Select
          aria-label={t('segments.unit')}
          style={{ width: 130 }}
          value={typeof cond.value === 'string' ? cond.value : 'month'}
          onChange={onChange}
          options={CALENDAR_UNITS.map((u) => ({ value: u, label: t(`segments.units.${u}`) }))}
        />
      );
  }
}

function FieldRow({
  cond,
  fields,
  onChange,
}: {
  cond: FieldCondition;
  fields: SegmentFieldDto[];
  onChange: (c: FieldCondition) => void;
}) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const field = fields.find((f) => f.field === cond.field);
  return (
    <Space wrap>
      <Select
        showSearch
        optionFilterProp="label"
        aria-label={t('segments.field')}
        data-testid="condition-field"
        style={{ width: 240 }}
        value={cond.field}
        onChange={(name: string) => {
          const f = fields.find((x) => x.field === name);
          const op = (f?.operators[0] ?? 'eq') as SegmentOperator;
          const value = defaultValue(op, f?.type ?? 'text');
          onChange({ kind: 'field', field: name, op, ...(value === undefined ? {} : { value }) });
        }}
        options={fields.map((f) => ({ value: f.field, label: label(f) }))}
      />
      <Select
        aria-label={t('segments.operator')}
        data-testid="condition-operator"
        style={{ width: 170 }}
        value={cond.op}
        onChange={(op: SegmentOperator) => {
          const value = defaultValue(op, field?.type ?? 'text');
          onChange({ kind: 'field', field: cond.field, op, ...(value === undefined ? {} : { value }) });
        }}
        options={(field?.operators ?? [cond.op]).map((o) => ({
          value: o,
          label: t(`segments.operators.${o}`),
        }))}
      />
      <ValueInput
        field={field}
        cond={cond}
        onChange={(value) => {
          const { value: _old, ...rest } = cond;
          onChange(value === undefined ? rest : { ...rest, value });
        }}
      />
    </Space>
  );
}

function BehaviourRow({
  cond,
  onChange,
}: {
  cond: BehaviourCondition;
  onChange: (c: BehaviourCondition) => void;
}) {
  const { t } = useTranslation();
  const period = cond.period?.type === 'last' ? cond.period : undefined;
  return (
    <Space wrap>
      <Select
        aria-label={t('segments.behaviourMode')}
        style={{ width: 150 }}
        value={cond.negate ? 'without' : 'with'}
        onChange={(v) => onChange({ ...cond, negate: v === 'without' })}
        options={[
          { value: 'with', label: t('segments.atLeast') },
          { value: 'without', label: t('segments.fewerThan') },
        ]}
      />
      <InputNumber
        aria-label={t('segments.min')}
        data-testid="behaviour-min"
        min={1}
        value={cond.min ?? 1}
        onChange={(v) => onChange({ ...cond, min: v ?? 1 })}
      />
      <Select
        mode="multiple"
        aria-label={t('segments.touchTypes')}
        data-testid="behaviour-types"
        style={{ minWidth: 220 }}
        placeholder={t('segments.touchTypes')}
        value={cond.touchTypes}
        onChange={(types: string[]) => onChange({ ...cond, touchTypes: types })}
        options={TOUCH_TYPES.map((ty) => ({ value: ty, label: t(`touches.types.${ty}`) }))}
      />
      {t('segments.inTheLast')}
      <InputNumber
        aria-label={t('segments.days')}
        data-testid="behaviour-days"
        min={1}
        placeholder={t('segments.anyTime')}
        value={period?.amount ?? null}
        onChange={(v) => {
          const { period: _old, ...rest } = cond;
          onChange(v ? { ...rest, period: { type: 'last', amount: v, unit: period?.unit ?? 'day' } } : rest);
        }}
      />
      <Select
        aria-label={t('segments.unit')}
        style={{ width: 110 }}
        value={period?.unit ?? 'day'}
        disabled={!period}
        onChange={(u: Unit) => period && onChange({ ...cond, period: { ...period, unit: u } })}
        options={UNITS.map((u) => ({ value: u, label: t(`segments.units.${u}`) }))}
      />
    </Space>
  );
}

/** The campaigns and saved segments a membership condition can name, as picker options. */
function useMembershipChoices() {
  const campaigns = useCampaigns({});
  const segments = useSegments('');
  return {
    campaign: (campaigns.data?.pages.flatMap((p) => p.items) ?? []).map((c) => ({
      value: c.id,
      label: c.name,
    })),
    segment: (segments.data?.pages.flatMap((p) => p.items) ?? []).map((s) => ({
      value: s.id,
      label: s.name,
    })),
  };
}

/** "In / not in" a campaign (optionally with member statuses) or a saved segment. */
function MembershipRow({
  cond,
  selfId,
  onChange,
}: {
  cond: MembershipCondition;
  selfId: string | undefined;
  onChange: (c: MembershipCondition) => void;
}) {
  const { t } = useTranslation();
  const choices = useMembershipChoices();
  const options =
    cond.of === 'campaign' ? choices.campaign : choices.segment.filter((o) => o.value !== selfId);
  // A name for an id the list has not loaded (or a deleted campaign): show the id rather than nothing.
  const known = options.some((o) => o.value === cond.id);
  return (
    <Space wrap>
      <Select
        aria-label={t('segments.membershipMode')}
        data-testid="membership-mode"
        style={{ width: 130 }}
        value={cond.negate ? 'out' : 'in'}
        onChange={(v) => onChange({ ...cond, negate: v === 'out' })}
        options={[
          { value: 'in', label: t('segments.memberIn') },
          { value: 'out', label: t('segments.memberNotIn') },
        ]}
      />
      <Select
        aria-label={t('segments.membershipOf')}
        data-testid="membership-of"
        style={{ width: 130 }}
        value={cond.of}
        onChange={(of: 'campaign' | 'segment') =>
          onChange(
            of === 'campaign'
              ? { kind: 'membership', of, id: choices.campaign[0]?.value ?? '', negate: cond.negate ?? false }
              : {
                  kind: 'membership',
                  of,
                  id: choices.segment.find((o) => o.value !== selfId)?.value ?? '',
                  negate: cond.negate ?? false,
                },
          )
        }
        options={[
          { value: 'campaign', label: t('segments.ofCampaign') },
          { value: 'segment', label: t('segments.ofSegment') },
        ]}
      />
      <Select
        showSearch
        optionFilterProp="label"
        aria-label={cond.of === 'campaign' ? t('segments.ofCampaign') : t('segments.ofSegment')}
        data-testid="membership-id"
        style={{ width: 240 }}
        placeholder={t('segments.pick')}
        value={cond.id || undefined}
        onChange={(id: string) => onChange({ ...cond, id })}
        options={known || !cond.id ? options : [...options, { value: cond.id, label: cond.id }]}
      />
      {cond.of === 'campaign' ? (
        <Select
          mode="multiple"
          aria-label={t('segments.memberStatuses')}
          data-testid="membership-statuses"
          style={{ minWidth: 200 }}
          placeholder={t('segments.anyStatus')}
          value={cond.statuses ?? []}
          onChange={(statuses: string[]) => {
            const { statuses: _old, ...rest } = cond;
            onChange(statuses.length ? { ...rest, statuses } : rest);
          }}
          options={MEMBER_STATUSES.map((st) => ({ value: st, label: t(`campaigns.memberStatuses.${st}`) }))}
        />
      ) : null}
    </Space>
  );
}

/** One AND/OR group: its conditions, nested groups, and buttons to add more. */
export function GroupEditor({
  group,
  fields,
  onChange,
  onRemove,
  depth = 0,
  selfId,
}: {
  group: SegmentGroup;
  fields: SegmentFieldDto[];
  onChange: (g: SegmentGroup) => void;
  onRemove?: () => void;
  depth?: number;
  /** The segment being edited: it cannot include itself. */
  selfId?: string | undefined;
}) {
  const { t } = useTranslation();
  const choices = useMembershipChoices();
  const setAt = (i: number, node: SegmentNode) =>
    onChange({ ...group, conditions: group.conditions.map((c, j) => (j === i ? node : c)) });
  const removeAt = (i: number) =>
    onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  const add = (node: SegmentNode) => onChange({ ...group, conditions: [...group.conditions, node] });
  const first = fields[0];
  const newField = (): FieldCondition => {
    const op = (first?.operators[0] ?? 'eq') as SegmentOperator;
    const value = defaultValue(op, first?.type ?? 'text');
    return { kind: 'field', field: first?.field ?? 'email', op, ...(value === undefined ? {} : { value }) };
  };
  return (
    <Card size="small" data-testid={`group-${depth}`} style={depth ? { background: '#fafafa' } : undefined}>
      <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
        <Select
          aria-label={t('segments.match')}
          data-testid="group-match"
          style={{ width: 220 }}
          value={group.match}
          onChange={(match: 'all' | 'any') => onChange({ ...group, match })}
          options={[
            { value: 'all', label: t('segments.matchAll') },
            { value: 'any', label: t('segments.matchAny') },
          ]}
        />
        {onRemove ? (
          <Button
            size="small"
            icon={<DeleteOutlined />}
            onClick={onRemove}
            aria-label={t('segments.removeGroup')}
          />
        ) : null}
      </Flex>
      <Flex vertical gap={8}>
        {group.conditions.map((node, i) => (
          // Conditions have no ids; the position is their identity while editing.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <Flex key={i} gap={8} align="flex-start" data-testid="condition">
            {node.kind === 'group' ? (
              <div style={{ flex: 1 }}>
                <GroupEditor
                  group={node}
                  fields={fields}
                  depth={depth + 1}
                  selfId={selfId}
                  onChange={(g) => setAt(i, g)}
                  onRemove={() => removeAt(i)}
                />
              </div>
            ) : (
              <>
                {node.kind === 'field' ? (
                  <FieldRow cond={node} fields={fields} onChange={(c) => setAt(i, c)} />
                ) : node.kind === 'behaviour' ? (
                  <BehaviourRow cond={node} onChange={(c) => setAt(i, c)} />
                ) : (
                  <MembershipRow cond={node} selfId={selfId} onChange={(c) => setAt(i, c)} />
                )}
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('segments.removeCondition')}
                  onClick={() => removeAt(i)}
                />
              </>
            )}
          </Flex>
        ))}
      </Flex>
      <Space style={{ marginTop: 8 }} wrap>
        <Button icon={<PlusOutlined />} onClick={() => add(newField())}>
          {t('segments.addField')}
        </Button>
        <Button
          icon={<PlusOutlined />}
          onClick={() =>
            add({
              kind: 'behaviour',
              touchTypes: ['email_click'],
              min: 1,
              period: { type: 'last', amount: 90, unit: 'day' },
            })
          }
        >
          {t('segments.addBehaviour')}
        </Button>
        <Button
          icon={<PlusOutlined />}
          onClick={() =>
            add({ kind: 'membership', of: 'campaign', id: choices.campaign[0]?.value ?? '', negate: false })
          }
        >
          {t('segments.addMembership')}
        </Button>
        <Button
          icon={<PlusOutlined />}
          onClick={() => add({ kind: 'group', match: depth % 2 ? 'all' : 'any', conditions: [] })}
        >
          {t('segments.addGroup')}
        </Button>
      </Space>
    </Card>
  );
}
