// Reads the request body as a stream (never as a whole) and answers its size and SHA-256.
import { createHash } from "node:crypto";

Deno.serve(async (req: Request) => {
  const hash = createHash("sha256");
  let bytes = 0;
  let chunks = 0;
  for await (const chunk of req.body ?? new ReadableStream<Uint8Array>()) {
    hash.update(chunk);
    bytes += chunk.byteLength;
    chunks += 1;
  }
  return Response.json({ bytes, chunks, sha256: hash.digest("hex") });
});
