/** The files attached to the message being written: validation, upload with progress, removal. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { uploadAttachment } from '../api/upload'
import type { AttachmentRef } from '../api/types'
import { useApp } from '../app-context'
import { pickFiles } from '../components/create-ticket-form'

export interface Upload {
  key: string
  name: string
  progress: number
  state: 'uploading' | 'done' | 'error'
  error?: string
  ref?: AttachmentRef
}

export function useUploads(ticketId: string) {
  const { t, clients, functions } = useApp()
  const [items, setItems] = useState<Upload[]>([])
  const controllers = useRef(new Map<string, AbortController>())
  const accepted = useRef(0)

  useEffect(() => () => controllers.current.forEach((c) => c.abort()), [])

  const patch = (key: string, change: Partial<Upload>): void =>
    setItems((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)))

  const add = useCallback(
    (files: File[]) => {
      const picked = pickFiles(files, t, accepted.current)
      accepted.current += picked.filter((p) => !p.error).length
      setItems((list) => [
        ...list,
        ...picked.map((p) => ({
          key: p.key,
          name: p.file.name,
          progress: 0,
          state: p.error ? ('error' as const) : ('uploading' as const),
          error: p.error,
        })),
      ])
      for (const p of picked) {
        if (p.error || !p.type) continue
        const controller = new AbortController()
        controllers.current.set(p.key, controller)
        uploadAttachment(clients, functions, ticketId, p.file, p.type, (progress) => patch(p.key, { progress }), controller.signal)
          .then((ref) => patch(p.key, { state: 'done', progress: 1, ref }))
          .catch((error: Error) => {
            if (!controller.signal.aborted) patch(p.key, { state: 'error', error: `${t.uploadFailed(p.file.name)} ${error.message}` })
          })
          .finally(() => controllers.current.delete(p.key))
      }
    },
    [ticketId, t, clients, functions],
  )

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort()
    setItems((list) => {
      const gone = list.find((u) => u.key === key)
      if (gone && !gone.error) accepted.current -= 1
      return list.filter((u) => u.key !== key)
    })
  }, [])

  const clear = useCallback(() => {
    accepted.current = 0
    setItems([])
  }, [])

  return {
    items,
    add,
    remove,
    clear,
    busy: items.some((u) => u.state === 'uploading'),
    refs: items.filter((u) => u.state === 'done' && u.ref).map((u) => u.ref!),
  }
}
