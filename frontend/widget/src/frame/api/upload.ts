/**
 * Attachment upload: get-signed-url (action "upload") then a raw-body PUT of the file to the signed
 * URL with XMLHttpRequest, which — unlike fetch — reports upload progress. The storage server accepts
 * the raw body with its Content-Type (what storage-js' uploadToSignedUrl also ends up doing).
 */
import type { Clients } from './clients'
import { ApiError } from './errors'
import type { FunctionsApi } from './functions'
import type { AttachmentRef } from './types'

/** Signed URLs may come back absolute, or relative to the API or to /storage/v1. */
export function resolveSignedUrl(signedUrl: string, apiUrl: string): string {
  if (/^https?:\/\//.test(signedUrl)) return signedUrl
  if (signedUrl.startsWith('/storage/v1/')) return apiUrl + signedUrl
  return apiUrl + '/storage/v1' + (signedUrl.startsWith('/') ? '' : '/') + signedUrl
}

export function putFile(
  url: string,
  file: Blob,
  type: string,
  headers: Record<string, string>,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    xhr.setRequestHeader('Content-Type', type)
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        resolve()
        return
      }
      let message = xhr.statusText || `Upload failed (${xhr.status})`
      try {
        const body = JSON.parse(xhr.responseText) as { message?: string; error?: { message?: string } | string }
        message = (typeof body.error === 'object' ? body.error?.message : undefined) ?? body.message ?? message
      } catch {
        /* not JSON */
      }
      reject(new ApiError(xhr.status, 'upload_failed', message))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Network error'))
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled'))
    signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(file)
  })
}

export async function uploadAttachment(
  clients: Clients,
  functions: FunctionsApi,
  ticketId: string,
  file: File,
  type: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AttachmentRef> {
  const signed = await functions.signUpload({ ticket_id: ticketId, file_name: file.name, mime_type: type, size: file.size })
  const headers = { apikey: clients.anonKey, Authorization: `Bearer ${await clients.token()}` }
  await putFile(resolveSignedUrl(signed.signed_url, clients.apiUrl), file, type, headers, onProgress, signal)
  return { object_path: signed.path, file_name: file.name, mime_type: type }
}
