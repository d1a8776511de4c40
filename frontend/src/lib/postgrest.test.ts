// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { containsPattern, quoteFilterValue } from './postgrest';

describe('quoteFilterValue', () => {
  it('leaves plain values alone', () => {
    expect(quoteFilterValue('*printer*')).toBe('*printer*');
  });

  it('quotes values with PostgREST reserved characters', () => {
    expect(quoteFilterValue('*a,b*')).toBe('"*a,b*"');
    expect(quoteFilterValue('2026-11-27T10:00:00.000001Z')).toBe('"2026-11-27T10:00:00.000001Z"');
    expect(quoteFilterValue('*(x)*')).toBe('"*(x)*"');
  });

  it('escapes quotes and backslashes inside quotes', () => {
    expect(quoteFilterValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteFilterValue('a\\b')).toBe('"a\\\\b"');
  });
});

describe('containsPattern', () => {
  it('wraps the term in wildcards', () => {
    expect(containsPattern('refund')).toBe('*refund*');
  });

  it('escapes LIKE wildcards typed by the agent and drops *', () => {
    expect(containsPattern('50%_off*')).toBe('*50\\%\\_off*');
  });
});
