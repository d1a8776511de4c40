import { userClient } from "../_shared/clients.ts";
import { callRpc, consumeRateLimits } from "../_shared/database.ts";
import { serveJson } from "../_shared/http.ts";
import { createTicketLimitsFromEnv } from "../_shared/rate-limit.ts";
import { type CreateTicketResult, handleCreateTicket } from "./handler.ts";

const limits = createTicketLimitsFromEnv((name) => Deno.env.get(name));

Deno.serve(serveJson("create-ticket", (req) =>
  handleCreateTicket(req, {
    consumeRateLimits,
    createTicket: (authorization, input) =>
      callRpc<CreateTicketResult>(userClient(authorization), "create_ticket", { ...input }),
  }, limits)));
