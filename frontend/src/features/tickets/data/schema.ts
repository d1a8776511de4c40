import * as z from 'zod/v4/mini';

/**
 * The single source of ticket/message types: rows from PostgREST, Realtime and edge functions.
 * zod's tree-shakable "mini" build keeps validation out of the way of the bundle budget.
 */

export const ticketStatuses = ['open', 'pending', 'resolved', 'closed'] as const;
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;

export const ticketStatusSchema = z.enum(ticketStatuses);
export const ticketPrioritySchema = z.enum(ticketPriorities);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
export type TicketPriority = z.infer<typeof ticketPrioritySchema>;

/** int8 columns arrive as numbers from PostgREST and Realtime; accept numeric strings too. */
export const integer = z.union([z.number(), z.pipe(z.string().check(z.regex(/^-?\d+$/)), z.transform(Number))]);
const timestamp = z.string();
const optionalTimestamp = z.optional(z.nullable(timestamp));

export const customerSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.nullable(z.string()),
  created_at: z.optional(timestamp),
});
export type Customer = z.infer<typeof customerSchema>;

/** A tickets row as stored (Realtime payloads carry exactly this). */
export const ticketRowSchema = z.object({
  id: z.string(),
  number: integer,
  customer_id: z.string(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  assignee_id: z.nullable(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
  last_message_at: timestamp,
  first_response_at: optionalTimestamp,
  resolved_at: optionalTimestamp,
  closed_at: optionalTimestamp,
});
export type TicketRow = z.infer<typeof ticketRowSchema>;

/** A ticket with its customer embedded (`customer:customers(...)`). */
export const ticketSchema = z.extend(ticketRowSchema, {
  customer: z.optional(z.nullable(customerSchema)),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const attachmentSchema = z.object({
  id: z.string(),
  message_id: z.optional(z.string()),
  object_path: z.string(),
  file_name: z.string(),
  mime_type: z.string(),
  size_bytes: z.optional(integer),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const senderTypeSchema = z.enum(['customer', 'admin', 'system']);
export type SenderType = z.infer<typeof senderTypeSchema>;

export const messageSchema = z.object({
  id: z.string(),
  ticket_id: z.string(),
  sender_type: senderTypeSchema,
  sender_id: z.nullable(z.string()),
  content: z.string(),
  client_id: z.nullable(z.string()),
  created_at: timestamp,
  /** Absent on Realtime rows: attachments are embedded only by REST reads. */
  attachments: z.optional(z.array(attachmentSchema)),
});
export type Message = z.infer<typeof messageSchema>;

export const agentSchema = z.object({
  id: z.string(),
  email: z.string(),
  display_name: z.string(),
  role: z.enum(['admin', 'agent']),
});
export type Agent = z.infer<typeof agentSchema>;

/** Edge function responses. */
export const addMessageResponseSchema = z.object({
  message: messageSchema,
  attachments: z._default(z.array(attachmentSchema), []),
});
export const updateStatusResponseSchema = z.object({ ticket: ticketRowSchema });
export const uploadUrlResponseSchema = z.object({
  path: z.string(),
  signed_url: z.string(),
  token: z.string(),
  expires_in: z.optional(integer),
});
export const downloadUrlResponseSchema = z.object({
  signed_url: z.string(),
  expires_in: z._default(integer, 60),
});
