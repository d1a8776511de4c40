/**
 * Every edge-function call the widget makes, in one place (the widget's write surface).
 * Each call makes sure the visitor has a session first, then maps failures to ApiError.
 */
import type { Clients } from './clients'
import { toApiError } from './errors'
import type {
  AddMessageInput,
  AddMessageResult,
  CreateTicketInput,
  CreateTicketResult,
  SignedDownload,
  SignedUpload,
} from './types'

export interface FunctionsApi {
  createTicket(input: CreateTicketInput): Promise<CreateTicketResult>
  addMessage(input: AddMessageInput): Promise<AddMessageResult>
  signUpload(input: { ticket_id: string; file_name: string; mime_type: string; size: number }): Promise<SignedUpload>
  signDownload(attachmentId: string): Promise<SignedDownload>
}

export function createFunctionsApi(clients: Clients): FunctionsApi {
  async function call<T>(name: string, body: object): Promise<T> {
    try {
      await clients.session()
      const { data, error } = await clients.functions.invoke<T>(name, { body })
      if (error) throw error
      return data as T
    } catch (error) {
      throw await toApiError(error)
    }
  }
  return {
    createTicket: (input) => call('create-ticket', input),
    addMessage: (input) => call('add-message', input),
    signUpload: (input) => call('get-signed-url', { action: 'upload', ...input }),
    signDownload: (attachmentId) => call('get-signed-url', { action: 'download', attachment_id: attachmentId }),
  }
}
