import * as z from 'zod/v4/mini';

import { ticketPriorities, ticketStatuses } from './schema';

export const sortableColumns = ['number', 'subject', 'status', 'priority', 'created_at', 'last_message_at'] as const;
export type SortColumn = (typeof sortableColumns)[number];

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const day = z.string().check(z.regex(dayPattern));
const optionalDay = z.union([day, z.literal('')]);

const assigneeSchema = z.union([z.enum(['all', 'me', 'unassigned']), z.uuid()]);

/**
 * The ticket list's state lives in the URL (/admin?status=open&q=…): a reload or a shared link
 * shows the same view. Bad values fall back to defaults instead of breaking the page.
 */
export const ticketFiltersSchema = z.object({
  status: z.catch(z.enum(['all', ...ticketStatuses]), 'all'),
  priority: z.catch(z.enum(['all', ...ticketPriorities]), 'all'),
  assignee: z.catch(assigneeSchema, 'all'),
  q: z.catch(z.string().check(z.trim(), z.maxLength(100)), ''),
  from: z.catch(optionalDay, ''),
  to: z.catch(optionalDay, ''),
  sort: z.catch(z.enum(sortableColumns), 'created_at'),
  dir: z.catch(z.enum(['asc', 'desc']), 'desc'),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(0), z.lte(100_000)), 0),
});
export type TicketFilters = z.infer<typeof ticketFiltersSchema>;

export const defaultTicketFilters: TicketFilters = ticketFiltersSchema.parse({});

const filterKeys = Object.keys(ticketFiltersSchema.shape) as (keyof TicketFilters)[];

export function parseTicketFilters(params: URLSearchParams): TicketFilters {
  const raw: Record<string, string> = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  return ticketFiltersSchema.parse(raw);
}

/** Any assignee value from a form: a known keyword or an agent id, else "all". */
export function parseAssignee(value: string): TicketFilters['assignee'] {
  return z.catch(assigneeSchema, 'all').parse(value);
}

/** Writes the filters into `base` (other params such as `ticket` survive); defaults are omitted. */
export function writeTicketFilters(filters: TicketFilters, base = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const key of filterKeys) {
    const value = String(filters[key]);
    if (value === String(defaultTicketFilters[key])) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/** What the FilterBar form validates before it applies anything. */
export const filterFormSchema = z
  .object({
    status: z.enum(['all', ...ticketStatuses]),
    priority: z.enum(['all', ...ticketPriorities]),
    assignee: z.string(),
    q: z.string().check(z.trim(), z.maxLength(100, 'Search is limited to 100 characters')),
    from: z.union([day, z.literal('')], 'Use the format YYYY-MM-DD'),
    to: z.union([day, z.literal('')], 'Use the format YYYY-MM-DD'),
  })
  .check(
    z.refine((value) => !value.from || !value.to || value.from <= value.to, {
      path: ['to'],
      error: 'The end date must be on or after the start date',
    }),
  );
export type FilterFormValues = z.infer<typeof filterFormSchema>;
