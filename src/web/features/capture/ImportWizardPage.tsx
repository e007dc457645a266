import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Flex,
  Progress,
  Radio,
  Spin,
  Steps,
  Typography,
  Upload,
} from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ImportPreviewDto } from '../../../contracts/capture.ts';
import { ApiError } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import {
  IMPORT_ENTITIES,
  IMPORTS,
  type ImportEntity,
  isImportEntity,
  mapOf,
  previewImport,
  REQUIRED_ANY,
  startImport,
  type Upload as Uploaded,
  uploadImportFile,
} from './api.ts';
import { ImportProgress } from './ImportProgress.tsx';
import { type DateOrder, MappingStep } from './MappingStep.tsx';
import { DEFAULT_OPTIONS, type ImportOptions, ReviewStep } from './ReviewStep.tsx';

const ACCEPT = '.csv,.tsv,.txt,.xlsx';
const STEPS = ['upload', 'map', 'review', 'import'] as const;

/**
 * The import wizard: 1 choose what to import and upload, 2 map columns to fields, 3 review the
 * first rows and choose how, 4 watch the job run. The file stays on the server between steps.
 */
export function ImportWizardPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const from = params.get('entity');
  const [entity, setEntity] = useState<ImportEntity>(isImportEntity(from) ? from : 'contacts');
  const [step, setStep] = useState(0);
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [preview, setPreview] = useState<ImportPreviewDto | null>(null);
  const [mapping, setMapping] = useState<(string | null)[]>([]);
  const [hasHeader, setHasHeader] = useState(true);
  const [dateOrder, setDateOrder] = useState<DateOrder | undefined>();
  // ?campaign=ID (from a campaign page) preselects the campaign the list belongs to.
  const initialOptions: ImportOptions = { ...DEFAULT_OPTIONS, campaignId: params.get('campaign') };
  const [options, setOptions] = useState<ImportOptions>(initialOptions);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  // Only the answer to the latest preview request counts (mapping changes can overlap).
  const seq = useRef(0);

  const runPreview = async (req: {
    file: Uploaded;
    entity: ImportEntity;
    mapping?: (string | null)[] | undefined;
    hasHeader?: boolean | undefined;
    dateOrder?: DateOrder | undefined;
    columns?: string[] | undefined;
  }): Promise<boolean> => {
    const mine = ++seq.current;
    setBusy(true);
    setProblem(null);
    const ask = (map?: Record<string, string>) =>
      previewImport({
        fileId: req.file.fileId,
        entity: req.entity,
        ...(map ? { map } : {}),
        ...(req.hasHeader === undefined ? {} : { hasHeader: req.hasHeader }),
        ...(req.dateOrder ? { dateOrder: req.dateOrder } : {}),
      });
    try {
      let res: ImportPreviewDto;
      let probed = false;
      try {
        res = await ask(req.mapping && req.columns ? mapOf(req.columns, req.mapping) : undefined);
      } catch (err) {
        // No header was recognised as a required field, so the server will not preview at all: ask
        // again with the first column standing in for one, to get the columns the user maps by hand.
        if (req.mapping || !(err instanceof ApiError) || err.status !== 400 || !('map' in err.fields))
          throw err;
        res = await ask({ '1': REQUIRED_ANY[req.entity][0] ?? '' });
        probed = true;
      }
      if (mine !== seq.current) return false;
      setPreview(res);
      setMapping(probed ? res.mapping.map((f, i) => (i === 0 ? null : f)) : res.mapping);
      setHasHeader(res.hasHeader);
      return true;
    } catch (err) {
      if (mine === seq.current) setProblem(errorText(err));
      return false;
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };

  const onFile = async (file: File) => {
    const ext = file.name.slice(file.name.lastIndexOf('.')).toLowerCase();
    if (!ACCEPT.split(',').includes(ext)) {
      setProblem(t('imports.wrongType'));
      return;
    }
    setProblem(null);
    setUploading(0);
    try {
      const up = await uploadImportFile(file, (f) => setUploading(Math.round(f * 100)));
      setUploaded(up);
      setDateOrder(undefined);
      if (await runPreview({ file: up, entity })) setStep(1);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setUploading(null);
    }
  };

  const changeEntity = (next: ImportEntity) => {
    setEntity(next);
    setOptions(initialOptions);
    if (uploaded) void runPreview({ file: uploaded, entity: next, hasHeader });
  };

  const remap = (index: number, field: string | null) => {
    if (!uploaded || !preview) return;
    // A field fills one column: choosing it here takes it from the column that had it.
    const next = mapping.map((f, i) => (i === index ? field : f === field ? null : f));
    setMapping(next);
    const mapped = new Set(next.filter(Boolean));
    if (!REQUIRED_ANY[entity].some((f) => mapped.has(f))) return; // the server would only refuse it
    void runPreview({
      file: uploaded,
      entity,
      mapping: next,
      columns: preview.columns,
      hasHeader,
      dateOrder,
    });
  };

  const start = async () => {
    if (!uploaded || !preview) return;
    setBusy(true);
    setProblem(null);
    try {
      const imp = await startImport({
        fileId: uploaded.fileId,
        entity,
        map: mapOf(preview.columns, mapping),
        hasHeader,
        ...(dateOrder ? { dateOrder } : {}),
        dedupe: options.dedupe,
        mode: options.mode,
        dryRun: options.dryRun,
        ...(entity !== 'touches' && entity !== 'deals' && options.tags.length ? { tags: options.tags } : {}),
        ...(entity !== 'companies' && options.campaignId ? { campaignId: options.campaignId } : {}),
      });
      setImportId(imp.id);
      qc.setQueryData([IMPORTS, imp.id], imp);
      void qc.invalidateQueries({ queryKey: [IMPORTS, 'list'] });
      setStep(3);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const restart = () => {
    setStep(0);
    setUploaded(null);
    setPreview(null);
    setMapping([]);
    setDateOrder(undefined);
    setOptions(initialOptions);
    setImportId(null);
    setProblem(null);
  };

  const mapped = new Set(mapping.filter(Boolean));
  const missingRequired = !REQUIRED_ANY[entity].some((f) => mapped.has(f));
  const needsDateChoice =
    !dateOrder && (preview?.dateOrder === 'ambiguous' || preview?.dateOrder === 'conflict');

  return (
    <>
      <PageHeader
        breadcrumb={
          <Breadcrumb
            className="page-breadcrumb"
            items={[
              { title: <Link to="/capture/imports">{t('nav.imports')}</Link> },
              { title: t('imports.new') },
            ]}
          />
        }
        title={t('imports.new')}
        subtitle={t('imports.wizardSubtitle')}
      />
      <Card>
        <Steps
          current={step}
          className="wizard-steps"
          items={STEPS.map((s) => ({ title: t(`imports.steps.${s}`) }))}
        />
        {problem ? <Alert type="error" showIcon title={problem} className="form-alert" /> : null}

        {step === 0 ? (
          <Flex vertical gap={16}>
            <div>
              <Typography.Text strong>{t('imports.whatToImport')}</Typography.Text>
              <div className="entity-choice">
                <Radio.Group
                  value={entity}
                  onChange={(e) => changeEntity(e.target.value as ImportEntity)}
                  optionType="button"
                  buttonStyle="solid"
                  options={IMPORT_ENTITIES.map((e) => ({ value: e, label: t(`imports.entities.${e}`) }))}
                  data-testid="import-entity"
                />
              </div>
              <Typography.Text type="secondary">{t(`imports.entityHelp.${entity}`)}</Typography.Text>
            </div>
            <Upload.Dragger
              accept={ACCEPT}
              multiple={false}
              showUploadList={false}
              disabled={uploading !== null}
              beforeUpload={(file) => {
                void onFile(file);
                return false;
              }}
              data-testid="import-dropzone"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.drop')}</p>
              <p className="ant-upload-hint">{t('imports.dropHint')}</p>
            </Upload.Dragger>
            {uploading !== null ? <Progress percent={uploading} status="active" /> : null}
            {busy && uploading === null ? <Spin /> : null}
            {uploaded && preview ? (
              <Flex justify="flex-end">
                <Button type="primary" onClick={() => setStep(1)}>
                  {t('imports.next')}
                </Button>
              </Flex>
            ) : null}
          </Flex>
        ) : null}

        {step === 1 && uploaded && preview ? (
          <Spin spinning={busy}>
            <MappingStep
              entity={entity}
              upload={uploaded}
              preview={preview}
              mapping={mapping}
              onMap={remap}
              hasHeader={hasHeader}
              onHasHeader={(v) => {
                setHasHeader(v);
                void runPreview({ file: uploaded, entity, hasHeader: v, dateOrder });
              }}
              dateOrder={dateOrder}
              onDateOrder={(v) => {
                setDateOrder(v);
                void runPreview({
                  file: uploaded,
                  entity,
                  mapping,
                  columns: preview.columns,
                  hasHeader,
                  dateOrder: v,
                });
              }}
            />
            <Flex justify="space-between" className="wizard-actions">
              <Button onClick={() => setStep(0)}>{t('imports.back')}</Button>
              <Button
                type="primary"
                disabled={busy || missingRequired || needsDateChoice || Boolean(problem)}
                onClick={() => setStep(2)}
                data-testid="to-review"
              >
                {t('imports.next')}
              </Button>
            </Flex>
          </Spin>
        ) : null}

        {step === 2 && preview ? (
          <Spin spinning={busy}>
            <ReviewStep
              entity={entity}
              preview={preview}
              mapping={mapping}
              options={options}
              onOptions={setOptions}
            />
            <Flex justify="space-between" className="wizard-actions">
              <Button onClick={() => setStep(1)}>{t('imports.back')}</Button>
              <Button type="primary" loading={busy} onClick={() => void start()} data-testid="start-import">
                {options.dryRun ? t('imports.startDryRun') : t('imports.start')}
              </Button>
            </Flex>
          </Spin>
        ) : null}

        {step === 3 && importId ? (
          <ImportProgress
            id={importId}
            extra={
              <>
                {options.dryRun ? (
                  <Button
                    type="primary"
                    onClick={() => {
                      setOptions({ ...options, dryRun: false });
                      setStep(2);
                    }}
                  >
                    {t('imports.importForReal')}
                  </Button>
                ) : null}
                <Button onClick={restart}>{t('imports.another')}</Button>
                <Button onClick={() => navigate('/capture/imports')}>{t('imports.all')}</Button>
              </>
            }
          />
        ) : null}
      </Card>
    </>
  );
}
