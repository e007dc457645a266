import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Progress,
  Select,
  Switch,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FIT_FIELDS,
  type FitField,
  opsForField,
  type RecomputeDto,
  type ScoringModel,
  type ScoringModelDto,
} from '../../../contracts/scoring.ts';
import { TOUCH_TYPES } from '../../../contracts/touches.ts';
import { ApiError, api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { FullPageSpin } from '../../ui/FullPage.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';

const MODEL = '/api/scoring/model';
const LATEST = '/api/scoring/recomputes/latest';

/** Turns `fit.0.values` into the form's name path `['fit', 0, 'values']`. */
function namePath(key: string): (string | number)[] {
  return key
    .split(/[./]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Admins and marketing: the workspace's scoring rules; saving starts a full recompute, shown here. */
export function ScoringRulesPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ScoringModel>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const model = useQuery({ queryKey: [MODEL], queryFn: () => api.get<ScoringModelDto>(MODEL) });
  const latest = useQuery({
    queryKey: [LATEST],
    queryFn: () => api.get<{ recompute: RecomputeDto | null }>(LATEST),
    // Poll only while the job still has work to do.
    refetchInterval: (q) => {
      const s = q.state.data?.recompute?.status;
      return s === 'queued' || s === 'running' ? 1000 : false;
    },
  });

  useEffect(() => {
    if (model.data) form.setFieldsValue(model.data.model);
  }, [model.data, form]);

  if (model.isLoading) return <FullPageSpin label={t('app.loading')} />;
  if (model.error || !model.data) return <Alert type="error" showIcon message={errorText(model.error)} />;

  const save = async (values: ScoringModel) => {
    setBusy(true);
    setFormError(null);
    try {
      const body: ScoringModel = {
        ...values,
        fit: (values.fit ?? []).map((r) => ({ ...r, values: r.values ?? [] })),
        engagement: { ...values.engagement, touchTypes: values.engagement.touchTypes ?? [] },
      };
      await api.put(MODEL, body);
      message.success(t('scoring.rules.saved'));
      await qc.invalidateQueries({ queryKey: [MODEL] });
      await qc.invalidateQueries({ queryKey: [LATEST] });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        // Server paths are dynamic (fit.3.values), so use the untyped instance here.
        (form as FormInstance).setFields(
          Object.entries(err.fields).map(([k, problem]) => ({ name: namePath(k), errors: [problem] })),
        );
      }
      setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const rc = latest.data?.recompute ?? null;
  const fieldOptions = FIT_FIELDS.map((f) => ({ value: f, label: t(`scoring.rules.fields.${f}`) }));
  const typeOptions = TOUCH_TYPES.map((ty) => ({ value: ty, label: t(`touches.types.${ty}`) }));

  return (
    <>
      <PageHeader title={t('nav.scoringRules')} subtitle={t('scoring.rules.subtitle')} />
      <Form form={form} layout="vertical" onFinish={save} initialValues={model.data.model}>
        <Flex vertical gap={16}>
          {formError && <Alert type="error" showIcon message={formError} data-testid="scoring-error" />}
          {rc && (
            <Card size="small" title={t('scoring.rules.recompute')} data-testid="recompute-progress">
              <Progress percent={rc.total ? Math.floor((rc.processed / rc.total) * 100) : 100} />
              {t(`scoring.rules.status.${rc.status}`)} ·{' '}
              {t('scoring.rules.progress', { processed: rc.processed, total: rc.total, changed: rc.changed })}
            </Card>
          )}
          <Card title={t('scoring.rules.thresholds')}>
            <Flex gap={16} wrap>
              {(['warm', 'hot', 'mql'] as const).map((k) => (
                <Form.Item key={k} name={['thresholds', k]} label={t(`scoring.rules.threshold.${k}`)}>
                  <InputNumber min={1} max={100} data-testid={`threshold-${k}`} />
                </Form.Item>
              ))}
            </Flex>
          </Card>
          <Card title={t('scoring.rules.fit')} extra={t('scoring.rules.fitHint')}>
            <Form.List name="fit">
              {(fields, { add, remove }) => (
                <Flex vertical gap={4}>
                  {fields.map(({ key, name }) => (
                    <FitRuleRow
                      key={key}
                      name={name}
                      remove={() => remove(name)}
                      fieldOptions={fieldOptions}
                    />
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() =>
                      add({
                        id: `rule-${Date.now().toString(36)}`,
                        label: '',
                        enabled: true,
                        field: 'country',
                        op: 'in',
                        values: [],
                        points: 10,
                      })
                    }
                  >
                    {t('scoring.rules.addRule')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Card>
          <Card title={t('scoring.rules.engagement')}>
            <Flex gap={16} wrap>
              <Form.Item name={['engagement', 'halfLifeDays']} label={t('scoring.rules.halfLifeDays')}>
                <InputNumber min={1} max={3650} data-testid="half-life" />
              </Form.Item>
              <Form.Item name={['engagement', 'periodDays']} label={t('scoring.rules.periodDays')}>
                <InputNumber min={1} max={365} />
              </Form.Item>
            </Flex>
            <Form.List name={['engagement', 'touchTypes']}>
              {(fields, { add, remove }) => (
                <Flex vertical gap={4}>
                  {fields.map(({ key, name }) => (
                    <Flex key={key} gap={8} align="start" wrap>
                      <Form.Item name={[name, 'type']} label={t('scoring.rules.touchType')}>
                        <Select options={typeOptions} style={{ width: 220 }} />
                      </Form.Item>
                      <Form.Item name={[name, 'points']} label={t('scoring.rules.points')}>
                        <InputNumber min={0} max={100} />
                      </Form.Item>
                      <Form.Item name={[name, 'cap']} label={t('scoring.rules.cap')}>
                        <InputNumber min={0} max={1000} />
                      </Form.Item>
                      <Button
                        style={{ marginTop: 30 }}
                        icon={<DeleteOutlined />}
                        aria-label={t('scoring.rules.remove')}
                        onClick={() => remove(name)}
                      />
                    </Flex>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ type: 'note', points: 1, cap: 5 })}>
                    {t('scoring.rules.addTouchType')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Card>
          <Flex>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Flex>
        </Flex>
      </Form>
    </>
  );
}

/** One fit rule; negative points make it a negative rule (tagged so it stands out). */
function FitRuleRow({
  name,
  remove,
  fieldOptions,
}: {
  name: number;
  remove: () => void;
  fieldOptions: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<ScoringModel>();
  const field = (Form.useWatch(['fit', name, 'field'], form) ?? 'country') as FitField;
  const op = Form.useWatch(['fit', name, 'op'], form);
  const points = Form.useWatch(['fit', name, 'points'], form) ?? 0;
  return (
    <Flex gap={8} align="start" wrap data-testid="fit-rule">
      <Form.Item name={[name, 'id']} hidden>
        <Input />
      </Form.Item>
      <Form.Item name={[name, 'enabled']} label={t('scoring.rules.enabled')} valuePropName="checked">
        <Switch size="small" />
      </Form.Item>
      <Form.Item name={[name, 'label']} label={t('scoring.rules.label')}>
        <Input style={{ width: 220 }} />
      </Form.Item>
      <Form.Item name={[name, 'field']} label={t('scoring.rules.field')}>
        <Select options={fieldOptions} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name={[name, 'op']} label={t('scoring.rules.op')}>
        <Select
          style={{ width: 140 }}
          options={opsForField(field).map((o) => ({ value: o, label: t(`scoring.rules.ops.${o}`) }))}
        />
      </Form.Item>
      {op === 'between' ? (
        <>
          <Form.Item name={[name, 'min']} label={t('scoring.rules.min')}>
            <InputNumber />
          </Form.Item>
          <Form.Item name={[name, 'max']} label={t('scoring.rules.max')}>
            <InputNumber />
          </Form.Item>
        </>
      ) : op === 'in' || op === 'contains' ? (
        <Form.Item name={[name, 'values']} label={t('scoring.rules.values')}>
          <Select mode="tags" style={{ width: 260 }} tokenSeparators={[',']} />
        </Form.Item>
      ) : null}
      <Form.Item name={[name, 'points']} label={t('scoring.rules.points')}>
        <InputNumber min={-100} max={100} />
      </Form.Item>
      {points < 0 && (
        <Tag color="red" style={{ marginTop: 34 }}>
          {t('scoring.kinds.negative')}
        </Tag>
      )}
      <Button
        style={{ marginTop: 30 }}
        icon={<DeleteOutlined />}
        aria-label={t('scoring.rules.remove')}
        onClick={remove}
      />
    </Flex>
  );
}
