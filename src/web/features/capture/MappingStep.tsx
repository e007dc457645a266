import { Alert, Flex, Radio, Select, Switch, Table, type TableProps, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportPreviewDto } from '../../../contracts/capture.ts';
import { useFormat } from '../../app/format.ts';
import { DATE_FIELDS, type ImportEntity, REQUIRED_ANY, type Upload } from './api.ts';
import { useFieldLabel } from './importFields.ts';

export type DateOrder = 'DMY' | 'MDY';

interface ColumnRow {
  index: number;
  header: string;
  samples: string[];
}

/** Distinct non-empty values of a column in the preview rows, at most `max`. */
function samplesOf(preview: ImportPreviewDto, index: number, max = 3): string[] {
  const seen = new Set<string>();
  for (const r of preview.rows) {
    const v = r.cells[index]?.trim();
    if (v && !seen.has(v)) seen.add(v);
    if (seen.size >= max) break;
  }
  return [...seen];
}

/** `t` narrowed to the four keys used: the full typed `t` is too deep for tsc as a parameter type. */
type DelimiterKey = `imports.delimiters.${'comma' | 'semicolon' | 'tab' | 'pipe'}`;

export function delimiterName(d: string, t: (key: DelimiterKey) => string): string {
  if (d === ',') return t('imports.delimiters.comma');
  if (d === ';') return t('imports.delimiters.semicolon');
  if (d === '\t') return t('imports.delimiters.tab');
  if (d === '|') return t('imports.delimiters.pipe');
  return d;
}

/** Step 2: what the file is, and which field each column fills (or "don't import"). */
export function MappingStep({
  entity,
  upload,
  preview,
  mapping,
  onMap,
  hasHeader,
  onHasHeader,
  dateOrder,
  onDateOrder,
}: {
  entity: ImportEntity;
  upload: Upload;
  preview: ImportPreviewDto;
  mapping: (string | null)[];
  onMap: (index: number, field: string | null) => void;
  hasHeader: boolean;
  onHasHeader: (v: boolean) => void;
  dateOrder: DateOrder | undefined;
  onDateOrder: (v: DateOrder) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const label = useFieldLabel(entity);
  const rows: ColumnRow[] = preview.columns.map((header, index) => ({
    index,
    header,
    samples: samplesOf(preview, index),
  }));
  const options = useMemo(
    () => [
      { value: '', label: t('imports.skipColumn') },
      ...preview.fields.map((f) => ({ value: f, label: label(f) })),
    ],
    [preview.fields, label, t],
  );
  const mapped = new Set(mapping.filter(Boolean));
  const required = REQUIRED_ANY[entity];
  const missingRequired = !required.some((f) => mapped.has(f));
  const hasDates = mapping.some((f) => f && DATE_FIELDS.has(f)) && preview.dateOrder !== null;
  const needsDateChoice =
    !dateOrder && (preview.dateOrder === 'ambiguous' || preview.dateOrder === 'conflict');

  const columns: TableProps<ColumnRow>['columns'] = [
    {
      key: 'header',
      title: t('imports.column'),
      width: '28%',
      render: (_, r) => (
        <Typography.Text strong data-testid="mapping-header">
          {r.header}
        </Typography.Text>
      ),
    },
    {
      key: 'samples',
      title: t('imports.samples'),
      render: (_, r) =>
        r.samples.length ? (
          <Flex gap={4} wrap>
            {r.samples.map((s) => (
              <Tag key={s} className="sample-tag">
                {s}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('imports.noSamples')}</Typography.Text>
        ),
    },
    {
      key: 'field',
      title: t('imports.importAs'),
      width: '32%',
      render: (_, r) => (
        <Select
          className="full-width"
          value={mapping[r.index] ?? ''}
          onChange={(v: string) => onMap(r.index, v || null)}
          options={options}
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('imports.importAsFor', { column: r.header })}
          data-testid={`map-${r.index}`}
        />
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={24} wrap align="center" className="file-facts" data-testid="file-facts">
        <span>
          <Typography.Text type="secondary">{t('imports.file')}: </Typography.Text>
          <Typography.Text strong>{upload.fileName}</Typography.Text>{' '}
          <Typography.Text type="secondary">
            ({fmt.number(Math.ceil(upload.bytes / 1024))} KB)
          </Typography.Text>
        </span>
        <span>
          <Typography.Text type="secondary">{t('imports.format')}: </Typography.Text>
          {preview.format.toUpperCase()}
        </span>
        {preview.format === 'xlsx' ? null : (
          <>
            <span>
              <Typography.Text type="secondary">{t('imports.encoding')}: </Typography.Text>
              <span data-testid="file-encoding">{preview.encoding.toUpperCase()}</span>
            </span>
            <span>
              <Typography.Text type="secondary">{t('imports.delimiter')}: </Typography.Text>
              <span data-testid="file-delimiter">{delimiterName(preview.delimiter, t)}</span>
            </span>
          </>
        )}
        <Flex gap={8} align="center">
          <Switch
            size="small"
            checked={hasHeader}
            onChange={onHasHeader}
            aria-label={t('imports.hasHeader')}
          />
          <span>{t('imports.hasHeader')}</span>
        </Flex>
      </Flex>
      {missingRequired ? (
        <Alert
          type="warning"
          showIcon
          title={t('imports.requiredMissing', { fields: required.map(label).join(t('imports.or')) })}
        />
      ) : null}
      {hasDates ? (
        <Alert
          type={needsDateChoice ? 'warning' : 'info'}
          showIcon
          data-testid="date-order"
          title={
            needsDateChoice
              ? preview.dateOrder === 'conflict'
                ? t('imports.dateConflict')
                : t('imports.dateAmbiguous')
              : t('imports.dateOrder')
          }
          description={
            <Radio.Group
              value={
                dateOrder ??
                (preview.dateOrder === 'DMY' || preview.dateOrder === 'MDY' ? preview.dateOrder : null)
              }
              onChange={(e) => onDateOrder(e.target.value as DateOrder)}
              options={[
                { value: 'DMY', label: t('imports.dayFirst') },
                { value: 'MDY', label: t('imports.monthFirst') },
              ]}
            />
          }
        />
      ) : null}
      <Table<ColumnRow>
        rowKey="index"
        columns={columns}
        dataSource={rows}
        pagination={false}
        size="small"
        className="mapping-table"
        rowClassName={(r) => (mapping[r.index] ? '' : 'row-skipped')}
        data-testid="mapping-table"
      />
    </Flex>
  );
}
