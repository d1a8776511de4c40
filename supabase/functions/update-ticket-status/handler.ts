/**
 * update-ticket-status: agents move a ticket through its lifecycle. public.update_ticket_status
 * answers 403 forbidden for anyone but an agent, 404 for an unknown ticket, and the tickets trigger
 * enforces the transitions (409 invalid_transition), stamps resolved_at/closed_at and logs the
 * analytics events. 200 {ticket}.
 */
import { requireCaller } from "../_shared/auth.ts";
import { jsonResponse, readJsonObject } from "../_shared/http.ts";
import { Fields } from "../_shared/validation.ts";

export const TICKET_STATUSES = ["open", "pending", "resolved", "closed"] as const;
export type TicketStatus = typeof TICKET_STATUSES[number];

export interface UpdateTicketStatusInput {
  ticket_id: string;
  status: TicketStatus;
}

export interface UpdateTicketStatusServices {
  /** public.update_ticket_status as the caller (their Authorization header). */
  updateStatus(authorization: string, input: UpdateTicketStatusInput): Promise<{ ticket: Record<string, unknown> }>;
}

export function validateUpdateTicketStatus(body: Record<string, unknown>): UpdateTicketStatusInput {
  const fields = new Fields(body);
  const input = { ticket_id: fields.uuid("ticket_id"), status: fields.oneOf("status", TICKET_STATUSES) };
  fields.check();
  return input as UpdateTicketStatusInput;
}

export async function handleUpdateTicketStatus(req: Request, services: UpdateTicketStatusServices): Promise<Response> {
  const caller = requireCaller(req);
  const input = validateUpdateTicketStatus(await readJsonObject(req));
  const result = await services.updateStatus(caller.authorization, input);
  return jsonResponse(200, { ticket: result.ticket });
}
