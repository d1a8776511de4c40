Deno.serve(() => new Response("disabled functions must not be served"));
