import assert from "node:assert/strict";
import {
  clientIp,
  createTicketChecks,
  createTicketLimitsFromEnv,
  DEFAULT_CREATE_TICKET_LIMITS,
  ipKey,
} from "../_shared/rate-limit.ts";
import { VISITOR_ID } from "./helpers.ts";

function envOf(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

Deno.test("defaults: 6 new tickets per IP and per visitor per 12 hours", () => {
  assert.deepEqual(createTicketLimitsFromEnv(envOf({})), {
    perIp: 6,
    perVisitor: 6,
    windowSeconds: 43200,
    ipHeader: null,
  });
});

Deno.test("limits are read from the environment; 0 turns a limit off", () => {
  const limits = createTicketLimitsFromEnv(envOf({
    SUPADESK_CREATE_TICKET_LIMIT_PER_IP: "3",
    SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR: "0",
    SUPADESK_CREATE_TICKET_WINDOW_SECONDS: "60",
    SUPADESK_CLIENT_IP_HEADER: "CF-Connecting-IP",
  }));
  assert.deepEqual(limits, { perIp: 3, perVisitor: 0, windowSeconds: 60, ipHeader: "cf-connecting-ip" });
  assert.deepEqual(createTicketChecks(limits, "1.2.3.4", VISITOR_ID), [
    { bucket: "create_ticket:ip", subject: "1.2.3.4", max_hits: 3, window_seconds: 60 },
  ]);
});

Deno.test("invalid limit values fall back to the default with a warning", () => {
  const warnings: string[] = [];
  const limits = createTicketLimitsFromEnv(
    envOf({
      SUPADESK_CREATE_TICKET_LIMIT_PER_IP: "-1",
      SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR: "lots",
      SUPADESK_CREATE_TICKET_WINDOW_SECONDS: "0",
    }),
    (message) => warnings.push(message),
  );
  assert.deepEqual(limits, DEFAULT_CREATE_TICKET_LIMITS);
  assert.equal(warnings.length, 3);
});

Deno.test("the client IP is X-Real-IP, else the last X-Forwarded-For entry (never a client-sent one)", () => {
  assert.equal(clientIp(new Headers({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "1.1.1.1" })), "203.0.113.7");
  assert.equal(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.2" })), "198.51.100.2");
  assert.equal(clientIp(new Headers({ "x-forwarded-for": "198.51.100.2" })), "198.51.100.2");
  assert.equal(clientIp(new Headers({ "x-real-ip": "not-an-ip", "x-forwarded-for": "198.51.100.9" })), "198.51.100.9");
  assert.equal(clientIp(new Headers({})), null);
});

Deno.test("a configured IP header replaces the defaults", () => {
  const headers = new Headers({ "cf-connecting-ip": "192.0.2.1", "x-real-ip": "10.0.0.1" });
  assert.equal(clientIp(headers, "cf-connecting-ip"), "192.0.2.1");
  assert.equal(clientIp(new Headers({ "x-real-ip": "10.0.0.1" }), "cf-connecting-ip"), null);
});

Deno.test("IPv6 clients are keyed by their /64; IPv4-mapped addresses as IPv4", () => {
  assert.equal(ipKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assert.equal(ipKey("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  assert.equal(ipKey("[2001:db8::1]"), "2001:db8:0:0::/64");
  assert.equal(ipKey("::1"), "0:0:0:0::/64");
  assert.equal(ipKey("::ffff:192.0.2.5"), "192.0.2.5");
  assert.equal(ipKey("fe80::1%eth0"), "fe80:0:0:0::/64");
  for (const bad of ["", "1.2.3", "1.2.3.256", "2001:db8::1::2", "gggg::1", "1:2:3:4:5:6:7:8:9", "localhost"]) {
    assert.equal(ipKey(bad), null, bad);
  }
});

Deno.test("create-ticket consumes a per-IP and a per-visitor counter; no IP, no per-IP counter", () => {
  const limits = DEFAULT_CREATE_TICKET_LIMITS;
  assert.deepEqual(createTicketChecks(limits, "203.0.113.7", VISITOR_ID).map((c) => [c.bucket, c.subject]), [
    ["create_ticket:ip", "203.0.113.7"],
    ["create_ticket:visitor", VISITOR_ID],
  ]);
  assert.deepEqual(createTicketChecks(limits, null, VISITOR_ID).map((c) => c.bucket), ["create_ticket:visitor"]);
  assert.deepEqual(createTicketChecks({ ...limits, perIp: 0, perVisitor: 0 }, "1.2.3.4", VISITOR_ID), []);
});
