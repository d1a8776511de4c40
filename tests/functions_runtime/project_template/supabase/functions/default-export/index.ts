export default {
  fetch(req: Request): Response {
    return new Response(`default export answered ${req.method}`);
  },
};
