/**
 * create-ticket: a signed-in visitor (an anonymous session is enough) opens a ticket with its first
 * message. Validates the body, applies the per-IP and per-visitor limits, then calls
 * public.create_ticket, which finds or creates the customer row and inserts ticket and message in
 * one transaction. 201 {ticket, message, customer}; a retry with the same client_id answers 200
 * with the ticket the first attempt created.
 */
import { requireCaller } from "../_shared/auth.ts";
import { rateLimitedError } from "../_shared/errors.ts";
import { jsonResponse, readJsonObject } from "../_shared/http.ts";
import {
  clientIp,
  createTicketChecks,
  type CreateTicketLimits,
  type RateLimitCheck,
  type RateLimitVerdict,
} from "../_shared/rate-limit.ts";
import { Fields } from "../_shared/validation.ts";

export interface CreateTicketInput {
  subject: string;
  message: string;
  email: string;
  name: string | null;
  client_id: string | null;
}

export interface CreateTicketResult {
  ticket: Record<string, unknown>;
  message: Record<string, unknown>;
  customer: Record<string, unknown>;
  created: boolean;
}

export interface CreateTicketServices {
  consumeRateLimits(checks: RateLimitCheck[]): Promise<RateLimitVerdict>;
  /** public.create_ticket as the caller (their Authorization header). */
  createTicket(authorization: string, input: CreateTicketInput): Promise<CreateTicketResult>;
}

let warnedNoClientIp = false;

function warnNoClientIp(): void {
  if (warnedNoClientIp) return;
  warnedNoClientIp = true;
  console.warn("create-ticket: no client IP header (x-real-ip / x-forwarded-for); the per-IP limit is not applied");
}

export function validateCreateTicket(body: Record<string, unknown>): CreateTicketInput {
  const fields = new Fields(body);
  const input = {
    subject: fields.text("subject", { min: 1, max: 200 }),
    message: fields.text("message", { min: 1, max: 5000 }),
    email: fields.email("email"),
    name: fields.text("name", { min: 1, max: 100, optional: true }),
    client_id: fields.uuid("client_id", true),
  };
  fields.check();
  return input as CreateTicketInput;
}

export async function handleCreateTicket(
  req: Request,
  services: CreateTicketServices,
  limits: CreateTicketLimits,
): Promise<Response> {
  const caller = requireCaller(req);
  const input = validateCreateTicket(await readJsonObject(req));

  const ip = clientIp(req.headers, limits.ipHeader);
  if (ip === null && limits.perIp > 0) warnNoClientIp();
  const checks = createTicketChecks(limits, ip, caller.userId);
  if (checks.length > 0) {
    const verdict = await services.consumeRateLimits(checks);
    if (!verdict.allowed) {
      throw rateLimitedError(verdict.retry_after, "Too many new tickets; please try again later");
    }
  }

  const { created, ...result } = await services.createTicket(caller.authorization, input);
  return jsonResponse(created ? 201 : 200, result);
}
