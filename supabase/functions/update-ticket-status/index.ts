import { userClient } from "../_shared/clients.ts";
import { callRpc } from "../_shared/database.ts";
import { serveJson } from "../_shared/http.ts";
import { handleUpdateTicketStatus } from "./handler.ts";

Deno.serve(serveJson("update-ticket-status", (req) =>
  handleUpdateTicketStatus(req, {
    updateStatus: (authorization, input) => callRpc(userClient(authorization), "update_ticket_status", { ...input }),
  })));
