import { z } from 'zod';

/** The single source of ticket/message types: rows from PostgREST, Realtime and edge functions. */

export const ticketStatuses = ['open', 'pending', 'resolved', 'closed'] as const;
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;

export const ticketStatusSchema = z.enum(ticketStatuses);
export const ticketPrioritySchema = z.enum(ticketPriorities);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
export type TicketPriority = z.infer<typeof ticketPrioritySchema>;

export const customerSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  created_at: z.string().optional(),
});
export type Customer = z.infer<typeof customerSchema>;

/** A tickets row as stored (Realtime payloads carry exactly this). */
export const ticketRowSchema = z.object({
  id: z.string(),
  number: z.coerce.number(),
  customer_id: z.string(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  assignee_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  last_message_at: z.string(),
  first_response_at: z.string().nullable().optional(),
  resolved_at: z.string().nullable().optional(),
  closed_at: z.string().nullable().optional(),
});
export type TicketRow = z.infer<typeof ticketRowSchema>;

/** A ticket with its customer embedded (`customer:customers(...)`). */
export const ticketSchema = ticketRowSchema.extend({
  customer: customerSchema.nullable().optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const attachmentSchema = z.object({
  id: z.string(),
  message_id: z.string().optional(),
  object_path: z.string(),
  file_name: z.string(),
  mime_type: z.string(),
  size_bytes: z.coerce.number().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const senderTypeSchema = z.enum(['customer', 'admin', 'system']);
export type SenderType = z.infer<typeof senderTypeSchema>;

export const messageSchema = z.object({
  id: z.string(),
  ticket_id: z.string(),
  sender_type: senderTypeSchema,
  sender_id: z.string().nullable(),
  content: z.string(),
  client_id: z.string().nullable(),
  created_at: z.string(),
  /** Absent on Realtime rows: attachments are embedded only by REST reads. */
  attachments: z.array(attachmentSchema).optional(),
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
  attachments: z.array(attachmentSchema).default([]),
});
export const updateStatusResponseSchema = z.object({ ticket: ticketRowSchema });
export const uploadUrlResponseSchema = z.object({
  path: z.string(),
  signed_url: z.string(),
  token: z.string(),
  expires_in: z.coerce.number().optional(),
});
export const downloadUrlResponseSchema = z.object({
  signed_url: z.string(),
  expires_in: z.coerce.number().default(60),
});
