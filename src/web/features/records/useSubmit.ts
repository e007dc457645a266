import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { ApiError } from '../../app/api.ts';
import { applyFieldErrors, useErrorText } from '../../app/errors.ts';
import type { SubmitProblem } from './RecordDrawer.tsx';

/**
 * Runs a save and turns its failure into what the form shows: field errors on the fields, a 409
 * as a duplicate with a link to the existing record, anything else as one message.
 */
export function useSubmit(form: FormInstance, fieldNames: string[], pathOf: (id: string) => string) {
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<SubmitProblem | null>(null);
  const run = useCallback(
    async <T>(save: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setProblem(null);
      try {
        return await save();
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          setProblem({
            kind: 'duplicate',
            message: err.message,
            to: err.existingId ? pathOf(err.existingId) : null,
          });
          return undefined;
        }
        const rest = applyFieldErrors(form, err, fieldNames);
        const placed = err instanceof ApiError ? Object.keys(err.fields).length - rest.length : 0;
        if (placed === 0 || rest.length) {
          setProblem({ kind: 'error', message: [errorText(err), ...rest].join(' · ') });
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [form, fieldNames, pathOf, errorText],
  );
  return { busy, problem, run };
}
