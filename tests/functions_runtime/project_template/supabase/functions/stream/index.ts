// GET /stream?id=X answers "first" at once and "second" only after GET /stream/release?id=X:
// a client that reads "first" before releasing proves the response is streamed, not buffered.
const gates = new Map<string, () => void>();

Deno.serve((req: Request) => {
  const url = new URL(req.url);
  const id = url.searchParams.get("id") ?? "";
  if (url.pathname.endsWith("/release")) {
    gates.get(id)?.();
    return new Response(gates.has(id) ? "released" : "unknown gate");
  }
  const opened = new Promise<void>((resolve) => gates.set(id, resolve));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode("first\n"));
      await opened;
      controller.enqueue(new TextEncoder().encode("second\n"));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/plain" } });
});
