-- Rate limits for the edge functions, kept in Postgres so every function instance (and every
-- `supadesk start` worker) shares one count. Fixed windows: a counter per (bucket, subject) starts at
-- the first hit and resets when its window has passed. The create-ticket function limits new tickets
-- per client IP and per visitor (defaults in the spirit of Chatwoot: 6 per 12 hours per IP).

-- Unlogged: counters are cheap to lose in a crash (the worst case is a fresh window), and skipping
-- the WAL keeps the hot path fast.
create unlogged table private.rate_limit_counters (
    bucket text not null,
    subject text not null,
    window_start timestamptz not null,
    expires_at timestamptz not null,
    hits integer not null,
    constraint rate_limit_counters_pkey primary key (bucket, subject),
    constraint rate_limit_counters_bucket_length check (char_length(bucket) between 1 and 100),
    constraint rate_limit_counters_subject_length check (char_length(subject) between 1 and 200),
    constraint rate_limit_counters_hits_positive check (hits >= 1)
);
comment on table private.rate_limit_counters is
'Fixed-window hit counters: bucket names the limit (e.g. create_ticket:ip), subject the client (an IP or a
user id). Written only through public.consume_rate_limits.';
create index rate_limit_counters_expires_at_idx on private.rate_limit_counters (expires_at);

alter table private.rate_limit_counters enable row level security;
revoke all on private.rate_limit_counters from public, anon, authenticated, service_role;

-- Security definer because no API role has any privilege on the counters: the service role (the edge
-- functions' rate limiter) may only count hits through this function, and visitors may not call it at
-- all, so nobody can read, reset or exhaust someone else's counter.
create function public.consume_rate_limits(checks jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  check_item jsonb;
  counter private.rate_limit_counters;
  max_hits integer;
  window_seconds integer;
  allowed boolean := true;
  retry_after integer := 0;
  denied text[] := '{}';
begin
  if jsonb_typeof(checks) <> 'array' or jsonb_array_length(checks) not between 1 and 10 then
    raise exception using
      errcode = 'PT400', message = 'checks must be an array of 1-10 limits', detail = 'validation_failed',
      hint = 'checks';
  end if;

  -- In a stable order, so two requests touching the same counters never deadlock.
  for check_item in
    select c.value from jsonb_array_elements(checks) as c
    order by c.value ->> 'bucket', c.value ->> 'subject'
  loop
    max_hits := (check_item ->> 'max_hits')::integer;
    window_seconds := (check_item ->> 'window_seconds')::integer;
    if max_hits is null or max_hits < 1 or window_seconds is null or window_seconds < 1 then
      raise exception using
        errcode = 'PT400', message = 'max_hits and window_seconds must be positive integers',
        detail = 'validation_failed', hint = 'checks';
    end if;

    insert into private.rate_limit_counters as r (bucket, subject, window_start, expires_at, hits)
    values (
      check_item ->> 'bucket', check_item ->> 'subject', now(), now() + make_interval(secs => window_seconds), 1
    )
    on conflict (bucket, subject) do update
      set
        window_start = case when r.expires_at <= now() then now() else r.window_start end,
        expires_at = case
          when r.expires_at <= now() then now() + make_interval(secs => window_seconds) else r.expires_at
        end,
        hits = case when r.expires_at <= now() then 1 else r.hits + 1 end
    returning r.* into counter;

    if counter.hits > max_hits then
      allowed := false;
      denied := denied || counter.bucket;
      retry_after := greatest(retry_after, ceil(extract(epoch from counter.expires_at - now()))::integer, 1);
    end if;
  end loop;

  -- Now and then, drop counters whose window ended long ago (one row per IP or visitor otherwise piles up).
  if random() < 0.01 then
    delete from private.rate_limit_counters as r where r.expires_at < now() - interval '1 hour';
  end if;

  return jsonb_build_object('allowed', allowed, 'retry_after', retry_after, 'denied', to_jsonb(denied));
end;
$$;
comment on function public.consume_rate_limits(jsonb) is
'Counts one hit against each limit in checks ([{bucket, subject, max_hits, window_seconds}]) and returns
{allowed, retry_after (seconds), denied (bucket names over their limit)}. Service role only.';
revoke execute on function public.consume_rate_limits(jsonb) from public, anon, authenticated;
grant execute on function public.consume_rate_limits(jsonb) to service_role;
