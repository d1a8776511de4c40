import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { ZodMiniType } from 'zod/v4/mini';

import type { TextFieldBinding } from '@/components/form-text-field';

import { firstErrorByField } from './zod-errors';

type TextValues = Record<string, string>;

/**
 * A minimal zod-validated form for the first screen (/login). It does what react-hook-form does
 * there — validate on submit with the zod schema, show the first message per field, focus the
 * first invalid field — for ~1 KB instead of ~12 KB gz, which keeps /login within its budget.
 * Every other form uses react-hook-form.
 */
export function useZodForm<T extends TextValues>(schema: ZodMiniType<T, unknown>, initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof T, string>>>({});
  const [isSubmitting, setSubmitting] = useState(false);
  const inputs = useRef(new Map<keyof T, HTMLInputElement>());

  const field = (name: keyof T & string): TextFieldBinding => ({
    name,
    value: values[name] ?? '',
    onChange: (event) => {
      const { value } = event.target;
      setValues((current) => ({ ...current, [name]: value }));
      if (errors[name]) setErrors((current) => ({ ...current, [name]: undefined }));
    },
    inputRef: (element) => {
      if (element) inputs.current.set(name, element);
      else inputs.current.delete(name);
    },
    error: errors[name],
  });

  const handleSubmit = useCallback(
    (onValid: (data: T) => Promise<void> | void) => async (event: FormEvent) => {
      event.preventDefault();
      const result = schema.safeParse(values);
      if (!result.success) {
        const next = firstErrorByField(result.error.issues) as Partial<Record<keyof T, string>>;
        setErrors(next);
        const first = Object.keys(initial).find((key) => next[key as keyof T]);
        if (first) inputs.current.get(first as keyof T)?.focus();
        return;
      }
      setErrors({});
      setSubmitting(true);
      try {
        await onValid(result.data);
      } finally {
        setSubmitting(false);
      }
    },
    [schema, values, initial],
  );

  return { field, handleSubmit, isSubmitting };
}
