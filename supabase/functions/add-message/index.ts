import { userClient } from "../_shared/clients.ts";
import { callRpc } from "../_shared/database.ts";
import { serveJson } from "../_shared/http.ts";
import { type AddMessageResult, handleAddMessage } from "./handler.ts";

Deno.serve(serveJson("add-message", (req) =>
  handleAddMessage(req, {
    addMessage: (authorization, input) =>
      callRpc<AddMessageResult>(userClient(authorization), "add_message", { ...input }),
  })));
