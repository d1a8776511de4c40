/** Picks black or white text for a hex background so the pair meets WCAG contrast as far as possible. */
export function textOn(hex: string): '#fff' | '#111' {
  let h = hex.slice(1)
  if (h.length === 3) h = h.replace(/./g, '$&$&')
  const lin = (i: number): number => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)
  }
  const l = 0.2126 * lin(0) + 0.7152 * lin(2) + 0.0722 * lin(4)
  // contrast with white = 1.05 / (l + .05); with #111 ≈ (l + .05) / 0.0556
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#fff' : '#111'
}
