/**
 * One attachment of a message: an image preview, or a download link — both by signed URL
 * (get-signed-url, action "download"), fetched when shown and re-fetched once it expires.
 * Link name (browser e2e): "Download <file name>".
 */
import { useEffect, useState } from 'preact/hooks'
import type { FunctionsApi } from '../api/functions'
import type { Attachment } from '../api/types'
import { useApp } from '../app-context'

const cache = new Map<string, { url: string; until: number }>()

function useSignedUrl(functions: FunctionsApi, attachmentId: string): string | null {
  const cached = cache.get(attachmentId)
  const [url, setUrl] = useState<string | null>(cached && cached.until > Date.now() ? cached.url : null)
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = (): void => {
      functions
        .signDownload(attachmentId)
        .then(({ signed_url, expires_in }) => {
          const ttl = Math.max(10, (expires_in || 60) - 10) * 1000
          cache.set(attachmentId, { url: signed_url, until: Date.now() + ttl })
          if (!live) return
          setUrl(signed_url)
          timer = setTimeout(load, ttl)
        })
        .catch(() => undefined)
    }
    const hit = cache.get(attachmentId)
    if (hit && hit.until > Date.now()) timer = setTimeout(load, hit.until - Date.now())
    else load()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [attachmentId])
  return url
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function AttachmentView({ attachment }: { attachment: Attachment }) {
  const { t, functions, clients } = useApp()
  const signed = useSignedUrl(functions, attachment.id)
  const url = signed && (/^https?:\/\//.test(signed) ? signed : clients.apiUrl + signed)
  const isImage = attachment.mime_type.startsWith('image/') && attachment.mime_type !== 'image/svg+xml'
  return (
    <div class="sd-attachment">
      {isImage && url && (
        <a href={url} target="_blank" rel="noopener noreferrer" tabIndex={-1}>
          <img class="sd-thumb" src={url} alt={attachment.file_name} loading="lazy" />
        </a>
      )}
      {url ? (
        <a class="sd-download" href={url} download={attachment.file_name} target="_blank" rel="noopener noreferrer">
          {t.download(attachment.file_name)}
        </a>
      ) : (
        <span class="sd-download" aria-busy="true">
          {attachment.file_name} — {t.preparing}
        </span>
      )}
      <span class="sd-size"> ({formatSize(attachment.size_bytes)})</span>
    </div>
  )
}
