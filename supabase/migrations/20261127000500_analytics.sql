-- The analytics event log (written by triggers) and the reporting functions behind the dashboard.

create table public.analytics (
    id bigint primary key generated always as identity,
    ticket_id uuid references public.tickets (id) on delete cascade,
    event_type text not null,
    actor_id uuid references auth.users (id) on delete set null,
    data jsonb not null default '{}'::jsonb,
    occurred_at timestamptz not null default now(),
    constraint analytics_event_type_valid check (event_type in (
        'ticket_created', 'message_created', 'first_response', 'status_changed',
        'resolved', 'reopened', 'closed', 'assigned', 'priority_changed'
    ))
);
comment on table public.analytics is
'Append-only event log of ticket activity, written by triggers; agents read it.';
create index analytics_ticket_id_idx on public.analytics (ticket_id);
create index analytics_actor_id_idx on public.analytics (actor_id);
create index analytics_event_type_occurred_at_idx on public.analytics (event_type, occurred_at);

alter table public.analytics enable row level security;

create policy "Agents can read analytics"
on public.analytics for select
to authenticated
using ((select private.is_agent()));

grant select on public.analytics to authenticated;
grant select, insert on public.analytics to service_role;

-- ============================================================================
-- event triggers (security definer: the actor may not insert into analytics)
-- ============================================================================

create function private.log_ticket_created() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.analytics (ticket_id, event_type, actor_id, data, occurred_at)
  values (
    new.id, 'ticket_created', (select auth.uid()),
    jsonb_build_object('priority', new.priority, 'status', new.status), new.created_at
  );
  return null;
end;
$$;

create trigger tickets_log_created
after insert on public.tickets
for each row execute function private.log_ticket_created();

create function private.log_ticket_changes() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
begin
  if new.status is distinct from old.status then
    insert into public.analytics (ticket_id, event_type, actor_id, data)
    values (new.id, 'status_changed', actor, jsonb_build_object('from', old.status, 'to', new.status));
    if new.status = 'resolved' then
      insert into public.analytics (ticket_id, event_type, actor_id, data)
      values (new.id, 'resolved', actor, jsonb_build_object(
        'seconds', extract(epoch from new.resolved_at - new.created_at)));
    elsif new.status = 'closed' then
      insert into public.analytics (ticket_id, event_type, actor_id) values (new.id, 'closed', actor);
    elsif old.status in ('resolved', 'closed') then
      insert into public.analytics (ticket_id, event_type, actor_id) values (new.id, 'reopened', actor);
    end if;
  end if;
  if new.assignee_id is distinct from old.assignee_id then
    insert into public.analytics (ticket_id, event_type, actor_id, data)
    values (new.id, 'assigned', actor, jsonb_build_object('assignee_id', new.assignee_id));
  end if;
  if new.priority is distinct from old.priority then
    insert into public.analytics (ticket_id, event_type, actor_id, data)
    values (new.id, 'priority_changed', actor, jsonb_build_object('from', old.priority, 'to', new.priority));
  end if;
  if new.first_response_at is not null and old.first_response_at is null then
    insert into public.analytics (ticket_id, event_type, actor_id, data, occurred_at)
    values (new.id, 'first_response', actor, jsonb_build_object(
      'seconds', extract(epoch from new.first_response_at - new.created_at)), new.first_response_at);
  end if;
  return null;
end;
$$;

create trigger tickets_log_changes
after update on public.tickets
for each row execute function private.log_ticket_changes();

create function private.log_message_created() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.analytics (ticket_id, event_type, actor_id, data, occurred_at)
  values (
    new.ticket_id, 'message_created', new.sender_id,
    jsonb_build_object('message_id', new.id, 'sender_type', new.sender_type), new.created_at
  );
  return null;
end;
$$;

create trigger messages_log_created
after insert on public.messages
for each row execute function private.log_message_created();

-- ============================================================================
-- reporting functions (agents and the service role only)
-- ============================================================================

create function private.require_agent() returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if not ((select private.is_agent()) or (select auth.role()) = 'service_role') then
    raise exception using
      errcode = '42501', message = 'Only support agents can read analytics',
      hint = 'Sign in with an agent account.';
  end if;
end;
$$;
grant execute on function private.require_agent() to authenticated, service_role;

create function public.ticket_metrics(range_start timestamptz, range_end timestamptz)
returns table (
    open_tickets bigint,
    new_today bigint,
    new_in_range bigint,
    avg_first_response_seconds double precision,
    median_first_response_seconds double precision,
    avg_resolution_seconds double precision,
    median_resolution_seconds double precision,
    resolved_share double precision
)
language plpgsql stable
set search_path = ''
as $$
begin
  perform private.require_agent();
  return query
  with in_range as (
    select t.created_at, t.first_response_at, t.resolved_at, t.status
    from public.tickets as t
    where t.created_at >= range_start and t.created_at < range_end
  )
  select
    (select count(*) from public.tickets as t where t.status in ('open', 'pending')),
    (select count(*) from public.tickets as t where t.created_at >= date_trunc('day', now())),
    (select count(*) from in_range),
    (select avg(extract(epoch from r.first_response_at - r.created_at))::double precision from in_range as r),
    (select percentile_cont(0.5) within group (order by extract(epoch from r.first_response_at - r.created_at))
      from in_range as r where r.first_response_at is not null),
    (select avg(extract(epoch from r.resolved_at - r.created_at))::double precision from in_range as r),
    (select percentile_cont(0.5) within group (order by extract(epoch from r.resolved_at - r.created_at))
      from in_range as r where r.resolved_at is not null),
    (select (count(*) filter (where r.status in ('resolved', 'closed')))::double precision
      / nullif(count(*), 0) from in_range as r);
end;
$$;
comment on function public.ticket_metrics(timestamptz, timestamptz) is
'Metric cards: open (open+pending) tickets now, tickets created today (UTC), and for tickets created in
[range_start, range_end): average and median seconds to first agent response and to resolution, and
the share already resolved or closed. Agents only.';

create function public.tickets_per_day(range_start timestamptz, range_end timestamptz)
returns table (day date, status text, tickets bigint)
language plpgsql stable
set search_path = ''
as $$
begin
  perform private.require_agent();
  return query
  select (t.created_at at time zone 'utc')::date, t.status, count(*)
  from public.tickets as t
  where t.created_at >= range_start and t.created_at < range_end
  group by 1, 2
  order by 1, 2;
end;
$$;
comment on function public.tickets_per_day(timestamptz, timestamptz) is
'Tickets created per UTC day in [range_start, range_end), split by their current status. Agents only.';

-- One weekly aggregation for both durations: `milestone` is the ticket column the clock stops at.
create function private.weekly_durations(range_start timestamptz, range_end timestamptz, milestone text)
returns table (week date, avg_seconds double precision, median_seconds double precision, tickets bigint)
language plpgsql stable
set search_path = ''
as $$
begin
  perform private.require_agent();
  return query
  with durations as (
    select
      date_trunc('week', t.created_at at time zone 'utc')::date as week,
      extract(epoch from (
        case milestone when 'first_response' then t.first_response_at else t.resolved_at end
      ) - t.created_at)::double precision as seconds
    from public.tickets as t
    where t.created_at >= range_start and t.created_at < range_end
  )
  select d.week, avg(d.seconds), percentile_cont(0.5) within group (order by d.seconds), count(*)
  from durations as d
  where d.seconds is not null
  group by d.week
  order by d.week;
end;
$$;
comment on function private.weekly_durations(timestamptz, timestamptz, text) is
'Average and median seconds from ticket creation to `milestone` (first_response or resolved), per ISO
week (UTC) of creation, for tickets created in [range_start, range_end) that reached it.';
grant execute on function private.weekly_durations(timestamptz, timestamptz, text) to authenticated, service_role;

create function public.first_response_per_week(range_start timestamptz, range_end timestamptz)
returns table (week date, avg_seconds double precision, median_seconds double precision, tickets bigint)
language sql stable
set search_path = ''
as $$
  select * from private.weekly_durations(range_start, range_end, 'first_response');
$$;
comment on function public.first_response_per_week(timestamptz, timestamptz) is
'Average and median seconds to the first agent response, per ISO week (UTC) of ticket creation,
for tickets created in [range_start, range_end) that got a response. Agents only.';

create function public.resolution_time_per_week(range_start timestamptz, range_end timestamptz)
returns table (week date, avg_seconds double precision, median_seconds double precision, tickets bigint)
language sql stable
set search_path = ''
as $$
  select * from private.weekly_durations(range_start, range_end, 'resolved');
$$;
comment on function public.resolution_time_per_week(timestamptz, timestamptz) is
'Average and median seconds from creation to resolution, per ISO week (UTC) of ticket creation,
for tickets created in [range_start, range_end) that were resolved. Agents only.';

grant execute on function public.ticket_metrics(timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.tickets_per_day(timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.first_response_per_week(timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.resolution_time_per_week(timestamptz, timestamptz) to authenticated, service_role;
