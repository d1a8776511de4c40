/**
 * Every table read the widget makes (postgrest-js), in one place. RLS limits the visitor to their
 * own customer row, tickets, messages and attachments. Loaded lazily with the conversation views.
 */
import { PostgrestClient } from '@supabase/postgrest-js'
import type { DataApi } from '../sync/store'
import type { Clients } from './clients'
import { ApiError } from './errors'
import type { Attachment, Customer, Message, Ticket } from './types'

const TICKET_COLUMNS = 'id,number,subject,status,priority,created_at,updated_at,last_message_at'
const MESSAGE_COLUMNS = 'id,ticket_id,sender_type,sender_id,content,client_id,created_at'
const ATTACHMENT_COLUMNS = 'id,ticket_id,message_id,file_name,mime_type,size_bytes,object_path'
/** Enough for the list's previews and unread counts; a ticket's full history loads when it is opened. */
const RECENT_LIMIT = 200
const HISTORY_LIMIT = 1000

interface PostgrestResult<T> {
  data: T | null
  error: { message: string; code?: string; details?: string } | null
  status: number
}

async function rows<T>(query: PromiseLike<PostgrestResult<unknown>>): Promise<T> {
  const { data, error, status } = await query
  if (error) throw new ApiError(status, error.code || `http_${status}`, error.message)
  return data as T
}

export interface WidgetDataApi extends DataApi {
  customer(): Promise<Customer | null>
}

export function createDataApi(clients: Clients): WidgetDataApi {
  const rest = new PostgrestClient(clients.apiUrl + '/rest/v1', { fetch: clients.fetch })
  // Name the visitor's own rows explicitly: RLS would hide the rest anyway, but a filter the planner
  // can see lets PostgreSQL use the indexes instead of checking every row against the policy.
  let customerId: string | null = null
  const userId = async (): Promise<string> => (await clients.session()).user.id
  const ownCustomer = async (): Promise<Customer | null> => {
    const found = (
      await rows<Customer[]>(rest.from('customers').select('id,email,name').eq('user_id', await userId()).limit(1))
    )[0]
    if (found) customerId = found.id
    return found ?? null
  }
  return {
    tickets: async () => {
      const id = customerId ?? (await ownCustomer())?.id
      if (!id) return []
      return rows<Ticket[]>(
        rest.from('tickets').select(TICKET_COLUMNS).eq('customer_id', id).order('created_at', { ascending: false }).limit(100),
      )
    },
    recentMessages: (ticketIds) =>
      rows<Message[]>(
        rest
          .from('messages')
          .select(MESSAGE_COLUMNS)
          .in('ticket_id', ticketIds)
          .order('created_at', { ascending: false })
          .order('id', { ascending: false })
          .limit(RECENT_LIMIT),
      ),
    messagesSince: (ticketId, since) => {
      let query = rest.from('messages').select(MESSAGE_COLUMNS).eq('ticket_id', ticketId)
      if (since !== null) query = query.gte('created_at', since)
      return rows<Message[]>(
        query.order('created_at', { ascending: true }).order('id', { ascending: true }).limit(HISTORY_LIMIT),
      )
    },
    attachments: (ticketId) =>
      rows<Attachment[]>(rest.from('attachments').select(ATTACHMENT_COLUMNS).eq('ticket_id', ticketId)),
    customer: ownCustomer,
  }
}
