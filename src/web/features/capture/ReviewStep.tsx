import { CheckCircleFilled } from '@ant-design/icons';
import {
  Alert,
  Card,
  Checkbox,
  Col,
  Form,
  Radio,
  Row,
  Select,
  Table,
  type TableProps,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportPreviewDto } from '../../../contracts/capture.ts';
import { TagsSelect } from '../records/pickers.tsx';
import { type ImportEntity, useCampaignChoices } from './api.ts';
import { useFieldLabel } from './importFields.ts';

export interface ImportOptions {
  dedupe: 'skip' | 'update' | 'create';
  mode: 'all' | 'valid';
  dryRun: boolean;
  tags: string[];
  /** Contacts become its members (a trade show: booth visitors with a scan touch each). */
  campaignId: string | null;
}

export const DEFAULT_OPTIONS: ImportOptions = {
  dedupe: 'skip',
  mode: 'all',
  dryRun: false,
  tags: [],
  campaignId: null,
};

type PreviewRow = ImportPreviewDto['rows'][number];

/** Step 3: the first rows as they will import, each with its problem, and how to import. */
export function ReviewStep({
  entity,
  preview,
  mapping,
  options,
  onOptions,
}: {
  entity: ImportEntity;
  preview: ImportPreviewDto;
  mapping: (string | null)[];
  options: ImportOptions;
  onOptions: (o: ImportOptions) => void;
}) {
  const { t } = useTranslation();
  const label = useFieldLabel(entity);
  const bad = preview.rows.filter((r) => r.error).length;
  const used = mapping.map((f, i) => ({ f, i })).filter((x): x is { f: string; i: number } => Boolean(x.f));
  const columns: TableProps<PreviewRow>['columns'] = [
    { key: 'row', title: t('imports.row'), dataIndex: 'rowNumber', width: 64, fixed: 'left' },
    {
      key: 'problem',
      title: t('imports.problem'),
      width: 240,
      render: (_: unknown, r: PreviewRow) =>
        r.error ? (
          <Typography.Text type="danger" data-testid="row-error">
            {r.error}
          </Typography.Text>
        ) : (
          <CheckCircleFilled className="row-ok" aria-label={t('imports.rowOk')} />
        ),
    },
    ...used.map(({ f, i }) => ({
      key: `c${i}`,
      title: (
        <div>
          <div>{label(f)}</div>
          <Typography.Text type="secondary" className="column-origin">
            {preview.columns[i]}
          </Typography.Text>
        </div>
      ),
      ellipsis: true,
      width: 160,
      render: (_: unknown, r: PreviewRow) => r.cells[i] ?? '',
    })),
  ];
  const set = (patch: Partial<ImportOptions>) => onOptions({ ...options, ...patch });
  const records = entity !== 'touches';
  const campaigns = useCampaignChoices(entity !== 'companies');

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={16}>
        <Alert
          className="form-alert"
          type={bad ? 'warning' : 'success'}
          showIcon
          data-testid="review-summary"
          title={
            bad
              ? t('imports.someBad', { bad, total: preview.rows.length })
              : t('imports.allGood', { count: preview.rows.length })
          }
          description={bad ? t('imports.someBadHelp') : undefined}
        />
        <Card className="table-card" title={t('imports.firstRows')} size="small">
          <Table<PreviewRow>
            rowKey="rowNumber"
            columns={columns}
            dataSource={preview.rows}
            pagination={false}
            size="small"
            scroll={{ x: 'max-content' }}
            rowClassName={(r) => (r.error ? 'row-error' : '')}
            data-testid="preview-table"
          />
        </Card>
      </Col>
      <Col xs={24} xxl={8}>
        <Card title={t('imports.options')} size="small">
          <Form layout="vertical">
            {records ? (
              <Form.Item label={t('imports.dedupe.label')} extra={t(`imports.dedupe.help.${entity}`)}>
                <Radio.Group
                  value={options.dedupe}
                  onChange={(e) => set({ dedupe: e.target.value as ImportOptions['dedupe'] })}
                  className="radio-column"
                  // Stored deals change stage through the pipeline, never by a file: no "update".
                  options={(entity === 'deals'
                    ? (['skip', 'create'] as const)
                    : (['skip', 'update', 'create'] as const)
                  ).map((d) => ({
                    value: d,
                    label: t(`imports.dedupe.${d}`),
                  }))}
                />
              </Form.Item>
            ) : null}
            <Form.Item label={t('imports.mode.label')}>
              <Radio.Group
                value={options.mode}
                onChange={(e) => set({ mode: e.target.value as ImportOptions['mode'] })}
                className="radio-column"
                options={(['all', 'valid'] as const).map((m) => ({
                  value: m,
                  label: t(`imports.mode.${m}`),
                }))}
              />
            </Form.Item>
            <Form.Item extra={t('imports.dryRunHelp')}>
              <Checkbox checked={options.dryRun} onChange={(e) => set({ dryRun: e.target.checked })}>
                {t('imports.dryRun')}
              </Checkbox>
            </Form.Item>
            {records && entity !== 'deals' ? (
              <Form.Item label={t('imports.tags')} extra={t('imports.tagsHelp')}>
                <TagsSelect value={options.tags} onChange={(tags) => set({ tags })} id="import-tags" />
              </Form.Item>
            ) : null}
            {entity !== 'companies' ? (
              <Form.Item
                label={t('imports.campaign')}
                extra={t('imports.campaignHelp')}
                htmlFor="import-campaign"
              >
                <Select
                  id="import-campaign"
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  loading={campaigns.isLoading}
                  value={options.campaignId ?? undefined}
                  onChange={(v: string | undefined) => set({ campaignId: v ?? null })}
                  options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                  placeholder={t('imports.campaignNone')}
                />
              </Form.Item>
            ) : null}
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
