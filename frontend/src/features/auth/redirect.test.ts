// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { loginPathFor, safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it('keeps same-origin paths with their query', () => {
    expect(safeRedirect('/admin?ticket=abc')).toBe('/admin?ticket=abc');
  });

  it.each([null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'admin', '/login', '/login?redirect=/admin'])(
    'falls back to /admin for %s',
    (target) => {
      expect(safeRedirect(target)).toBe('/admin');
    },
  );
});

describe('loginPathFor', () => {
  it('carries the return URL', () => {
    expect(loginPathFor('/admin/analytics?from=2026-01-01')).toBe('/login?redirect=%2Fadmin%2Fanalytics%3Ffrom%3D2026-01-01');
  });
});
