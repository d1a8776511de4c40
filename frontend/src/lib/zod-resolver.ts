import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { ZodMiniType } from 'zod/v4/mini';

import { firstErrorByField } from './zod-errors';

/** react-hook-form ↔ zod, so the zod schema stays the single source of rules and types. */
export function zodResolver<T extends FieldValues>(schema: ZodMiniType<T, unknown>): Resolver<T> {
  return async (values) => {
    const result = await schema.safeParseAsync(values);
    if (result.success) return { values: result.data, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const [field, message] of Object.entries(firstErrorByField(result.error.issues))) {
      errors[field] = { type: 'validation', message };
    }
    return { values: {}, errors: errors as FieldErrors<T> };
  };
}
