/**
 * The official clients the first screen needs: auth-js (anonymous sign-in, session kept in this
 * iframe origin's localStorage) and functions-js (create-ticket & co). postgrest-js and realtime-js
 * are loaded lazily with the conversation views (see ../conversation.tsx).
 * Only the anon key is ever used here; the access token of the visitor's session is added per request.
 */
import { AuthClient, type GoTrueClient, type Session } from '@supabase/auth-js'
import { FunctionsClient } from '@supabase/functions-js'
import { ApiError } from './errors'
import type { KeyValueStorage } from './storage'

export const AUTH_STORAGE_KEY = 'supadesk.auth'

export interface Clients {
  apiUrl: string
  anonKey: string
  auth: GoTrueClient
  functions: FunctionsClient
  /** fetch that adds `apikey` and the visitor's bearer token. */
  fetch: typeof fetch
  /** The visitor's session, signing in anonymously the first time. */
  session(): Promise<Session>
  /** Current access token (the anon key before sign-in). */
  token(): Promise<string>
  /** True when a session from an earlier visit is stored (a returning visitor). */
  returning: boolean
}

export function createClients(apiUrl: string, anonKey: string, storage: KeyValueStorage): Clients {
  const auth = new AuthClient({
    url: apiUrl + '/auth/v1',
    headers: { apikey: anonKey, Authorization: `Bearer ${anonKey}` },
    storageKey: AUTH_STORAGE_KEY,
    storage,
    persistSession: true,
    autoRefreshToken: true,
    detectSessionInUrl: false,
  })
  const returning = storage.getItem(AUTH_STORAGE_KEY) !== null
  let signingIn: Promise<Session> | null = null

  async function session(): Promise<Session> {
    const { data } = await auth.getSession()
    if (data.session) return data.session
    signingIn ??= auth.signInAnonymously().then(({ data: signedIn, error }) => {
      signingIn = null
      if (error || !signedIn.session) {
        const status = (error as { status?: number } | null)?.status ?? 0
        throw new ApiError(status, error?.code ?? 'sign_in_failed', error?.message ?? 'Could not start a chat session')
      }
      return signedIn.session
    })
    return signingIn
  }

  async function token(): Promise<string> {
    const { data } = await auth.getSession()
    return data.session?.access_token ?? anonKey
  }

  const authedFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers)
    if (!headers.has('apikey')) headers.set('apikey', anonKey)
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${await token()}`)
    return fetch(input, { ...init, headers })
  }

  const functions = new FunctionsClient(apiUrl + '/functions/v1', { customFetch: authedFetch })
  return { apiUrl, anonKey, auth, functions, fetch: authedFetch, session, token, returning }
}
