import { z } from 'zod';

import { ticketPriorities, ticketStatuses } from './schema';

export const sortableColumns = ['number', 'subject', 'status', 'priority', 'created_at', 'last_message_at'] as const;
export type SortColumn = (typeof sortableColumns)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const uuid = z.string().uuid();

/**
 * The ticket list's state lives in the URL (/admin?status=open&q=…): a reload or a shared link
 * shows the same view. Bad values fall back to defaults instead of breaking the page.
 */
export const ticketFiltersSchema = z.object({
  status: z.enum(['all', ...ticketStatuses]).catch('all'),
  priority: z.enum(['all', ...ticketPriorities]).catch('all'),
  assignee: z.union([z.enum(['all', 'me', 'unassigned']), uuid]).catch('all'),
  q: z.string().trim().max(100).catch(''),
  from: z.union([day, z.literal('')]).catch(''),
  to: z.union([day, z.literal('')]).catch(''),
  sort: z.enum(sortableColumns).catch('created_at'),
  dir: z.enum(['asc', 'desc']).catch('desc'),
  page: z.coerce.number().int().min(0).max(100_000).catch(0),
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
    status: ticketFiltersSchema.shape.status,
    priority: ticketFiltersSchema.shape.priority,
    assignee: z.string(),
    q: z.string().trim().max(100, 'Search is limited to 100 characters'),
    from: z.union([day, z.literal('')]),
    to: z.union([day, z.literal('')]),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, {
    path: ['to'],
    message: 'The end date must be on or after the start date',
  });
export type FilterFormValues = z.infer<typeof filterFormSchema>;
