/**
 * Rate limits, counted in Postgres (public.consume_rate_limits, fixed windows) so all function
 * instances share one count. This module decides *what* to count: the client IP and the visitor.
 */

export interface RateLimitCheck {
  bucket: string;
  subject: string;
  max_hits: number;
  window_seconds: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  retry_after: number;
  denied: string[];
}

export interface CreateTicketLimits {
  /** New tickets per client IP per window; 0 turns the limit off. */
  perIp: number;
  /** New tickets per visitor (auth user) per window; 0 turns the limit off. */
  perVisitor: number;
  windowSeconds: number;
  /** A header that carries the client IP (e.g. cf-connecting-ip); null = x-real-ip, then x-forwarded-for. */
  ipHeader: string | null;
}

/** Chatwoot's default for new conversations: 6 per 12 hours per IP. */
export const DEFAULT_CREATE_TICKET_LIMITS: CreateTicketLimits = Object.freeze({
  perIp: 6,
  perVisitor: 6,
  windowSeconds: 12 * 60 * 60,
  ipHeader: null,
});

export const ENV = {
  perIp: "SUPADESK_CREATE_TICKET_LIMIT_PER_IP",
  perVisitor: "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR",
  windowSeconds: "SUPADESK_CREATE_TICKET_WINDOW_SECONDS",
  ipHeader: "SUPADESK_CLIENT_IP_HEADER",
} as const;

type EnvReader = (name: string) => string | undefined;
type Warn = (message: string) => void;

function readCount(get: EnvReader, name: string, fallback: number, min: number, warn: Warn): number {
  const raw = get(name)?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > 2_147_483_647) {
    warn(`${name}=${JSON.stringify(raw)} is not an integer >= ${min}; using ${fallback}`);
    return fallback;
  }
  return value;
}

/** The create-ticket limits from the environment; invalid values fall back to the defaults, with a warning. */
export function createTicketLimitsFromEnv(
  get: EnvReader,
  warn: Warn = (message) => console.warn(message),
): CreateTicketLimits {
  const header = get(ENV.ipHeader)?.trim().toLowerCase();
  return {
    perIp: readCount(get, ENV.perIp, DEFAULT_CREATE_TICKET_LIMITS.perIp, 0, warn),
    perVisitor: readCount(get, ENV.perVisitor, DEFAULT_CREATE_TICKET_LIMITS.perVisitor, 0, warn),
    windowSeconds: readCount(get, ENV.windowSeconds, DEFAULT_CREATE_TICKET_LIMITS.windowSeconds, 1, warn),
    ipHeader: header || null,
  };
}

function parseIpv4(value: string): number[] | null {
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

function parseIpv6(value: string): number[] | null {
  let rest = value.split("%")[0];
  let tail: number[] = [];
  const embedded = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest);
  if (embedded) {
    const v4 = parseIpv4(embedded[1]);
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    rest = rest.slice(0, -embedded[1].length);
    if (rest.endsWith(":") && !rest.endsWith("::")) rest = rest.slice(0, -1);
  }
  const halves = rest.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) =>
    part === "" ? [] : part.split(":").map((h) => (/^[0-9a-f]{1,4}$/i.test(h) ? parseInt(h, 16) : NaN));
  const head = groups(halves[0]);
  const after = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...after].some(Number.isNaN)) return null;
  const count = head.length + after.length + tail.length;
  if (halves.length === 1) return count === 8 ? [...head, ...tail] : null;
  return count <= 7 ? [...head, ...new Array(8 - count).fill(0), ...after, ...tail] : null;
}

/**
 * The rate-limit key for an address: an IPv4 address as is (also when IPv4-mapped), an IPv6
 * address by its /64 network (one subscriber usually owns a whole /64), null if it is no address.
 */
export function ipKey(value: string): string | null {
  const text = value.trim().replace(/^\[|\]$/g, "");
  const v4 = parseIpv4(text);
  if (v4) return v4.join(".");
  const v6 = text.includes(":") ? parseIpv6(text) : null;
  if (!v6) return null;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return [v6[6] >> 8, v6[6] & 255, v6[7] >> 8, v6[7] & 255].join(".");
  }
  return `${v6.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/**
 * The client's address as the nearest proxy saw it. Proxies append to X-Forwarded-For, so only the
 * last entry is trustworthy (earlier ones are whatever the client sent); X-Real-IP is set, not
 * appended, by the proxy and wins when present. A configured header replaces both.
 */
export function clientIp(headers: Headers, ipHeader: string | null = null): string | null {
  const names = ipHeader ? [ipHeader] : ["x-real-ip", "x-forwarded-for"];
  for (const name of names) {
    const entries = (headers.get(name) ?? "").split(",").map((e) => e.trim()).filter(Boolean);
    const last = entries.at(-1);
    const key = last ? ipKey(last) : null;
    if (key) return key;
  }
  return null;
}

/** The counters one create-ticket request consumes (limits set to 0 are skipped). */
export function createTicketChecks(limits: CreateTicketLimits, ip: string | null, userId: string): RateLimitCheck[] {
  const checks: RateLimitCheck[] = [];
  if (limits.perIp > 0 && ip) {
    checks.push({
      bucket: "create_ticket:ip",
      subject: ip,
      max_hits: limits.perIp,
      window_seconds: limits.windowSeconds,
    });
  }
  if (limits.perVisitor > 0) {
    checks.push({
      bucket: "create_ticket:visitor",
      subject: userId,
      max_hits: limits.perVisitor,
      window_seconds: limits.windowSeconds,
    });
  }
  return checks;
}
