// Never answers within the test's invocation timeout.
Deno.serve(async () => {
  await new Promise((resolve) => setTimeout(resolve, 120_000));
  return new Response("too late");
});
