/**
 * "Live updates paused" banner (role="status"). The live region is always in the DOM so screen
 * readers announce the change; it is empty (and hidden by CSS) while the channel is SUBSCRIBED.
 * While the first connection is still being made, the banner waits a few seconds before showing.
 */
import { useEffect, useState } from 'preact/hooks'
import type { LiveState } from '../sync/store'

export function ConnectionBanner({ live, text, graceMs = 4000 }: { live: LiveState | null; text: string; graceMs?: number }) {
  const [graceOver, setGraceOver] = useState(false)
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), graceMs)
    return () => clearTimeout(timer)
  }, [graceMs])
  const show = live === 'paused' || (live === 'connecting' && graceOver)
  return (
    <div role="status" class="sd-banner">
      {show && text}
    </div>
  )
}
