/** Helpers for values placed inside PostgREST filter strings. */

const RESERVED = /[,.:()"\\\s]/;

/** Double-quotes a value for use inside `or=(…)` when it holds PostgREST's reserved characters. */
export function quoteFilterValue(value: string): string {
  if (!RESERVED.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * An `ilike` pattern matching `term` anywhere. LIKE wildcards typed by the agent are escaped;
 * `*` (PostgREST's wildcard) cannot be escaped and is dropped.
 */
export function containsPattern(term: string): string {
  const escaped = term.replace(/\*/g, '').replace(/[\\%_]/g, (c) => `\\${c}`);
  return `*${escaped}*`;
}
