import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  ExportOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Radio,
  Result,
  Row,
  Select,
  Skeleton,
  Switch,
  Tooltip,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { FormDto, FormLocale } from '../../../contracts/forms.ts';
import { api } from '../../app/api.ts';
import { useErrorText } from '../../app/errors.ts';
import { currentLocale } from '../../app/i18n/index.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useCustomFields } from '../records/directory.ts';
import { TagsSelect } from '../records/pickers.tsx';
import { FORMS, formPath } from './api.ts';
import { FormPreview } from './FormPreview.tsx';
import { useForm } from './formsApi.ts';
import { COMPANY_TARGETS, CONTACT_TARGETS, DEFAULT_LABELS, isBuiltInTarget } from './formTargets.ts';
import { applyBuilderErrors, type BuilderValues, fromDto, NEW_FORM, toBody } from './formValues.ts';

const LOCALES: FormLocale[] = ['en', 'zh-CN'];

/** New form (no id) or edit one: fields, labels in both page languages, consent, what happens after. */
export function FormBuilderPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const existing = useForm(id);
  if (id && existing.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (id && existing.isError)
    return (
      <Result
        status="error"
        title={errorText(existing.error)}
        extra={<Link to="/capture/forms">{t('forms.backToList')}</Link>}
      />
    );
  return <Builder key={id ?? 'new'} form={existing.data} />;
}

function Builder({ form: existing }: { form: FormDto | undefined }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const custom = useCustomFields('contact');
  const [form] = Form.useForm<BuilderValues>();
  const values = Form.useWatch([], { form, preserve: true }) as BuilderValues | undefined;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ui = currentLocale();
  const langName = (l: FormLocale) => t(`languages.${l}`);

  const customLabels = useMemo(
    () => new Map((custom.data ?? []).map((f) => [f.key, f.label])),
    [custom.data],
  );
  const targetOptions = useMemo(() => {
    const builtIn = (targets: readonly string[]) =>
      targets.map((target) => ({
        value: target,
        label: isBuiltInTarget(target) ? DEFAULT_LABELS[target][ui] : target,
      }));
    return [
      { label: t('forms.builder.contactFields'), options: builtIn(CONTACT_TARGETS) },
      { label: t('forms.builder.companyFields'), options: builtIn(COMPANY_TARGETS) },
      ...((custom.data ?? []).length
        ? [
            {
              label: t('forms.builder.customFields'),
              options: (custom.data ?? []).map((f) => ({ value: `custom.${f.key}`, label: f.label })),
            },
          ]
        : []),
    ];
  }, [custom.data, t, ui]);
  const defaultLabel = (target: string | undefined, l: FormLocale) =>
    !target
      ? ''
      : isBuiltInTarget(target)
        ? DEFAULT_LABELS[target][l]
        : (customLabels.get(target.slice(7)) ?? '');

  const used = new Set((values?.fields ?? []).map((f) => f?.target).filter(Boolean));
  const nextTarget = () =>
    [...CONTACT_TARGETS, ...COMPANY_TARGETS].find((x) => !used.has(x)) ??
    (custom.data ?? []).map((f) => `custom.${f.key}`).find((x) => !used.has(x));

  const save = async (v: BuilderValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const body = toBody(v);
      const saved = existing
        ? await api.patch<FormDto>(`${FORMS}/${existing.id}`, body)
        : await api.post<FormDto>(FORMS, body);
      qc.setQueryData([FORMS, saved.id], saved);
      void qc.invalidateQueries({ queryKey: [FORMS, 'list'] });
      message.success(existing ? t('forms.saved') : t('forms.created', { name: saved.name }));
      navigate(formPath(saved.id));
    } catch (err) {
      const rest = applyBuilderErrors(form, err);
      setProblem([errorText(err), ...rest].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const localizedInputs = (
    base: (string | number)[],
    opts: { area?: boolean; placeholder?: (l: FormLocale) => string; label: string },
  ) => (
    <Row gutter={12}>
      {LOCALES.map((l) => (
        <Col xs={24} md={12} key={l}>
          <Form.Item name={[...base, l]} label={`${opts.label} · ${langName(l)}`}>
            {opts.area ? (
              <Input.TextArea rows={3} maxLength={2000} placeholder={opts.placeholder?.(l)} />
            ) : (
              <Input maxLength={200} placeholder={opts.placeholder?.(l)} />
            )}
          </Form.Item>
        </Col>
      ))}
    </Row>
  );

  const title = existing ? t('forms.edit') : t('forms.new');
  return (
    <>
      <PageHeader
        breadcrumb={
          <Breadcrumb
            className="page-breadcrumb"
            items={[
              { title: <Link to="/capture/forms">{t('nav.forms')}</Link> },
              ...(existing ? [{ title: <Link to={formPath(existing.id)}>{existing.name}</Link> }] : []),
              { title },
            ]}
          />
        }
        title={title}
        subtitle={t('forms.builder.subtitle')}
        extra={
          <>
            {existing ? (
              <Button
                icon={<ExportOutlined />}
                href={existing.hostedPath}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t('forms.openHosted')}
              </Button>
            ) : null}
            <Button onClick={() => navigate(existing ? formPath(existing.id) : '/capture/forms')}>
              {t('common.cancel')}
            </Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="save-form">
              {t('common.save')}
            </Button>
          </>
        }
      />
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" /> : null}
      <Form<BuilderValues>
        form={form}
        layout="vertical"
        initialValues={existing ? fromDto(existing) : NEW_FORM}
        onFinish={(v) => void save(v)}
        scrollToFirstError
        data-testid="form-builder"
      >
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card title={t('forms.builder.basics')}>
              <Form.Item
                name="name"
                label={t('forms.fields.name')}
                extra={t('forms.builder.nameHelp')}
                rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
              >
                <Input maxLength={200} autoFocus={!existing} />
              </Form.Item>
              {localizedInputs(['title'], { label: t('forms.builder.pageTitle') })}
              {localizedInputs(['submitLabel'], {
                label: t('forms.builder.submitLabel'),
                placeholder: (l) => (l === 'en' ? 'Submit' : '提交'),
              })}
            </Card>

            <Card title={t('forms.builder.fields')} className="stacked-card">
              <Form.List name="fields">
                {(items, { add, remove, move }) => (
                  <Flex vertical gap={12}>
                    {items.map(({ key, name }, index) => {
                      const target = values?.fields?.[name]?.target;
                      const isEmail = target === 'email';
                      return (
                        <Card size="small" key={key} className="builder-field" data-testid="builder-field">
                          <Row gutter={12} align="bottom">
                            <Col xs={24} md={12}>
                              <Form.Item
                                name={[name, 'target']}
                                label={t('forms.builder.fills')}
                                rules={[{ required: true, message: t('validation.required') }]}
                              >
                                <Select
                                  options={targetOptions.map((g) => ({
                                    ...g,
                                    options: g.options.map((o) => ({
                                      ...o,
                                      disabled: o.value !== target && used.has(o.value),
                                    })),
                                  }))}
                                  disabled={isEmail}
                                  showSearch={{ optionFilterProp: 'label' }}
                                  aria-label={t('forms.builder.fillsFor', { n: index + 1 })}
                                  data-testid={`field-target-${index}`}
                                />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={5}>
                              <Form.Item
                                name={[name, 'required']}
                                label={t('forms.builder.required')}
                                valuePropName="checked"
                                tooltip={isEmail ? t('forms.builder.emailRequired') : undefined}
                              >
                                <Switch disabled={isEmail} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={7}>
                              <Flex justify="flex-end" gap={4} className="builder-field-actions">
                                <Tooltip title={t('forms.builder.moveUp')}>
                                  <Button
                                    icon={<ArrowUpOutlined />}
                                    disabled={index === 0}
                                    onClick={() => move(index, index - 1)}
                                    aria-label={t('forms.builder.moveUp')}
                                  />
                                </Tooltip>
                                <Tooltip title={t('forms.builder.moveDown')}>
                                  <Button
                                    icon={<ArrowDownOutlined />}
                                    disabled={index === items.length - 1}
                                    onClick={() => move(index, index + 1)}
                                    aria-label={t('forms.builder.moveDown')}
                                  />
                                </Tooltip>
                                <Tooltip
                                  title={
                                    isEmail ? t('forms.builder.emailRequired') : t('forms.builder.remove')
                                  }
                                >
                                  <Button
                                    danger
                                    icon={<DeleteOutlined />}
                                    disabled={isEmail}
                                    onClick={() => remove(name)}
                                    aria-label={t('forms.builder.remove')}
                                  />
                                </Tooltip>
                              </Flex>
                            </Col>
                          </Row>
                          {localizedInputs([name, 'label'], {
                            label: t('forms.builder.label'),
                            placeholder: (l) => defaultLabel(target, l),
                          })}
                          {localizedInputs([name, 'placeholder'], { label: t('forms.builder.placeholder') })}
                        </Card>
                      );
                    })}
                    <Button
                      type="dashed"
                      icon={<PlusOutlined />}
                      disabled={!nextTarget()}
                      onClick={() => add({ target: nextTarget(), required: false })}
                      data-testid="add-field"
                    >
                      {t('forms.builder.addField')}
                    </Button>
                  </Flex>
                )}
              </Form.List>
            </Card>

            <Card title={t('forms.builder.consent')} className="stacked-card">
              <Form.Item name="consentOn" valuePropName="checked" extra={t('forms.builder.consentHelp')}>
                <Switch
                  checkedChildren={t('common.yes')}
                  unCheckedChildren={t('common.no')}
                  aria-label={t('forms.builder.consentAsk')}
                />
              </Form.Item>
              {values?.consentOn ? (
                <>
                  <Form.Item
                    name={['consent', 'required']}
                    valuePropName="checked"
                    label={t('forms.builder.consentRequired')}
                  >
                    <Switch />
                  </Form.Item>
                  <Row gutter={12}>
                    {LOCALES.map((l) => (
                      <Col xs={24} md={12} key={l}>
                        <Form.Item
                          name={['consent', 'text', l]}
                          label={`${t('forms.builder.consentText')} · ${langName(l)}`}
                          dependencies={[['consent', 'text', l === 'en' ? 'zh-CN' : 'en']]}
                          rules={[
                            {
                              validator: async (_r, v: string | undefined) => {
                                const other = form.getFieldValue([
                                  'consent',
                                  'text',
                                  l === 'en' ? 'zh-CN' : 'en',
                                ]);
                                if (l === 'en' && !v?.trim() && !other?.trim())
                                  throw new Error(t('forms.builder.oneLanguage'));
                              },
                            },
                          ]}
                        >
                          <Input.TextArea rows={3} maxLength={2000} />
                        </Form.Item>
                      </Col>
                    ))}
                  </Row>
                </>
              ) : null}
            </Card>

            <Card title={t('forms.builder.after')} className="stacked-card">
              <Form.Item name={['success', 'kind']}>
                <Radio.Group
                  options={[
                    { value: 'message', label: t('forms.builder.showMessage') },
                    { value: 'redirect', label: t('forms.builder.redirect') },
                  ]}
                />
              </Form.Item>
              {values?.success?.kind === 'redirect' ? (
                <Form.Item
                  name={['success', 'url']}
                  label={t('forms.builder.redirectUrl')}
                  rules={[
                    { required: true, message: t('validation.required') },
                    { type: 'url', message: t('validation.url') },
                  ]}
                >
                  <Input maxLength={2000} placeholder="https://www.example.com/thank-you" />
                </Form.Item>
              ) : (
                localizedInputs(['success', 'message'], {
                  label: t('forms.builder.thankYou'),
                  area: true,
                  placeholder: (l) =>
                    l === 'en' ? 'Thank you! We have received your details.' : '谢谢！我们已收到您的信息。',
                })
              )}
            </Card>

            <Card title={t('forms.builder.attribution')} className="stacked-card">
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="campaignId"
                    label={t('forms.fields.campaignId')}
                    extra={t('forms.builder.campaignHelp')}
                  >
                    <Input maxLength={64} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="tags" label={t('records.fields.tags')} extra={t('forms.builder.tagsHelp')}>
                    <TagsSelect />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="handRaise"
                valuePropName="checked"
                label={t('forms.fields.handRaise')}
                extra={t('forms.builder.handRaiseHelp')}
              >
                <Switch />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <div className="sticky-side">
              <FormPreview values={values} customLabels={customLabels} />
            </div>
          </Col>
        </Row>
      </Form>
    </>
  );
}
