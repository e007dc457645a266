import { DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_STATUSES,
  type CampaignCreate,
  type CampaignDto,
} from '../../../contracts/campaigns.ts';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { useCampaignWrites } from './api.ts';

interface Values {
  name: string;
  channel: CampaignCreate['channel'];
  status: NonNullable<CampaignCreate['status']>;
  dates?: [Dayjs | null, Dayjs | null] | null;
  markets?: string[];
  language?: string;
  currency?: string;
  budget?: number | null;
  goalLeads?: number | null;
  goalSqls?: number | null;
  noticeDays?: number | null;
}

/** Create or edit a campaign in a modal; server field errors show under their fields. */
export function CampaignForm({
  open,
  campaign,
  onClose,
  onSaved,
}: {
  open: boolean;
  campaign?: CampaignDto;
  onClose: () => void;
  onSaved: (c: CampaignDto) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const writes = useCampaignWrites();
  const saving = writes.create.isPending || writes.update.isPending;

  const submit = async (v: Values) => {
    const body = {
      name: v.name,
      channel: v.channel,
      status: v.status,
      startsOn: v.dates?.[0]?.format('YYYY-MM-DD') ?? null,
      endsOn: v.dates?.[1]?.format('YYYY-MM-DD') ?? null,
      markets: v.markets ?? [],
      language: v.language || null,
      ...(v.currency ? { currency: v.currency.toUpperCase() } : {}),
      budgetMinor: v.budget == null ? null : Math.round(v.budget * 100),
      goalLeads: v.goalLeads ?? null,
      goalSqls: v.goalSqls ?? null,
      noticeDays: v.noticeDays ?? null,
    };
    try {
      const saved = campaign
        ? await writes.update.mutateAsync({ id: campaign.id, body })
        : await writes.create.mutateAsync(body);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) {
        const map: Record<string, keyof Values> = {
          startsOn: 'dates',
          endsOn: 'dates',
          budgetMinor: 'budget',
        };
        form.setFields(
          Object.entries(err.fields).map(([k, msg]) => ({
            name: map[k] ?? (k as keyof Values),
            errors: [msg],
          })),
        );
      } else {
        form.setFields([{ name: 'name', errors: [errorText(err)] }]);
      }
    }
  };

  return (
    <Modal
      open={open}
      title={campaign ? t('campaigns.edit') : t('campaigns.new')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      confirmLoading={saving}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{
          name: campaign?.name,
          channel: campaign?.channel ?? 'trade_show',
          status: campaign?.status ?? 'planned',
          dates: campaign?.startsOn
            ? [dayjs(campaign.startsOn), campaign.endsOn ? dayjs(campaign.endsOn) : null]
            : null,
          markets: campaign?.markets ?? [],
          language: campaign?.language ?? undefined,
          currency: campaign?.currency,
          budget: campaign?.budgetMinor == null ? null : campaign.budgetMinor / 100,
          goalLeads: campaign?.goalLeads,
          goalSqls: campaign?.goalSqls,
          noticeDays: campaign?.noticeDays,
        }}
      >
        <Form.Item name="name" label={t('campaigns.name')} rules={[{ required: true }]}>
          <Input data-testid="campaign-name" />
        </Form.Item>
        <Form.Item name="channel" label={t('campaigns.channel')}>
          <Select
            data-testid="campaign-channel"
            options={CAMPAIGN_CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channels.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="status" label={t('campaigns.status')}>
          <Select
            options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`campaigns.statuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="dates" label={t('campaigns.dates')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="campaign-dates" />
        </Form.Item>
        <Form.Item name="markets" label={t('campaigns.markets')}>
          <Select mode="tags" tokenSeparators={[',', ' ']} />
        </Form.Item>
        <Form.Item name="language" label={t('campaigns.language')}>
          <Input placeholder="en" />
        </Form.Item>
        <Form.Item name="currency" label={t('campaigns.currency')}>
          <Input placeholder="EUR" maxLength={3} />
        </Form.Item>
        <Form.Item name="budget" label={t('campaigns.budget')}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="goalLeads" label={t('campaigns.goalLeads')}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="goalSqls" label={t('campaigns.goalSqls')}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="noticeDays" label={t('campaigns.noticeDays')} extra={t('campaigns.noticeDaysHelp')}>
          <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
