Deno.serve(() => {
  throw new Error("kaboom: internal detail that must stay in the logs");
});
