Deno.serve(() => new Response("hook ok", { headers: { "content-type": "text/plain" } }));
