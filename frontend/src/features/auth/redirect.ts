export const DEFAULT_AFTER_LOGIN = '/admin';

/** Only same-origin paths: `?redirect=//evil.example` or `https://…` must not send the agent away. */
export function safeRedirect(target: string | null | undefined, fallback = DEFAULT_AFTER_LOGIN): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  if (target === '/login' || target.startsWith('/login?') || target.startsWith('/login/')) return fallback;
  return target;
}

export function loginPathFor(returnTo: string): string {
  const target = safeRedirect(returnTo, '');
  return target ? `/login?redirect=${encodeURIComponent(target)}` : '/login';
}
