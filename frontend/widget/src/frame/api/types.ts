/** Row and payload shapes of the API contract (docs/architecture.md, issue 6 §1). */

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed'
export type SenderType = 'customer' | 'admin' | 'system'

export interface Ticket {
  id: string
  number: number
  subject: string
  status: TicketStatus
  priority?: string
  created_at: string
  updated_at?: string | null
  last_message_at?: string | null
}

export interface Message {
  id: string
  ticket_id: string
  sender_type: SenderType
  sender_id: string | null
  content: string
  client_id: string | null
  created_at: string
}

export interface Attachment {
  id: string
  ticket_id: string
  message_id: string | null
  file_name: string
  mime_type: string
  size_bytes: number
  object_path: string
}

export interface Customer {
  id: string
  email: string | null
  name: string | null
}

export interface AttachmentRef {
  object_path: string
  file_name: string
  mime_type: string
}

export interface CreateTicketInput {
  subject: string
  message: string
  email: string
  name?: string
  client_id?: string
}

export interface CreateTicketResult {
  ticket: Ticket
  message: Message
  customer: Customer
}

export interface AddMessageInput {
  ticket_id: string
  content: string
  client_id: string
  attachments?: AttachmentRef[]
}

export interface AddMessageResult {
  message: Message
  attachments: Attachment[]
}

export interface SignedUpload {
  path: string
  signed_url: string
  token: string
  expires_in: number
}

export interface SignedDownload {
  signed_url: string
  expires_in: number
}
