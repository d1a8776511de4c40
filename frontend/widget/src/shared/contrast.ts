/** Black or white text on a #rgb/#rrggbb background, whichever contrasts more (YIQ brightness). */
export function textOn(hex: string): '#fff' | '#111' {
  const h = hex.length < 5 ? hex.replace(/\w/g, '$&$&') : hex
  const c = (i: number): number => parseInt(h.substr(i, 2), 16)
  return c(1) * 299 + c(3) * 587 + c(5) * 114 > 150000 ? '#111' : '#fff'
}
