-- Tickets and their conversation, with the integrity rules the database enforces for every client.

-- ============================================================================
-- tables
-- ============================================================================

create table public.tickets (
    id uuid primary key default gen_random_uuid(),
    number bigint generated always as identity,
    customer_id uuid not null references public.customers (id) on delete cascade,
    subject text not null,
    status text not null default 'open',
    priority text not null default 'normal',
    assignee_id uuid references public.users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    last_message_at timestamptz not null default now(),
    first_response_at timestamptz,
    resolved_at timestamptz,
    closed_at timestamptz,
    constraint tickets_number_key unique (number),
    constraint tickets_subject_length check (char_length(subject) <= 200 and btrim(subject) <> ''),
    constraint tickets_status_valid check (status in ('open', 'pending', 'resolved', 'closed')),
    constraint tickets_priority_valid check (priority in ('low', 'normal', 'high', 'urgent'))
);
comment on table public.tickets is
'Support tickets opened by visitors; number is the human-readable #id shown to people.';
create index tickets_customer_id_idx on public.tickets (customer_id);
create index tickets_assignee_id_idx on public.tickets (assignee_id);
create index tickets_status_last_message_at_idx on public.tickets (status, last_message_at desc);
create index tickets_last_message_at_idx on public.tickets (last_message_at desc);
create index tickets_created_at_idx on public.tickets (created_at);

create table public.messages (
    id uuid primary key default gen_random_uuid(),
    ticket_id uuid not null references public.tickets (id) on delete cascade,
    sender_type text not null,
    sender_id uuid references auth.users (id) on delete set null,
    content text not null,
    client_id uuid not null default gen_random_uuid(),
    created_at timestamptz not null default now(),
    constraint messages_client_id_per_ticket unique (ticket_id, client_id),
    constraint messages_content_length check (char_length(content) <= 5000 and btrim(content) <> ''),
    constraint messages_sender_type_valid check (sender_type in ('customer', 'admin', 'system')),
    constraint messages_sender_present check (sender_type = 'system' or sender_id is not null)
);
comment on table public.messages is
'The conversation of a ticket. client_id is the sender''s idempotency key: a retried send never duplicates.';
-- Also the catch-up cursor after a disconnect: ticket_id = X and (created_at, id) > last seen.
create index messages_ticket_id_created_at_id_idx on public.messages (ticket_id, created_at, id);
create index messages_sender_id_idx on public.messages (sender_id);
create index messages_created_at_idx on public.messages (created_at);

-- ============================================================================
-- helpers
-- ============================================================================

-- plpgsql for a plan kept per session (see private.is_agent()).
create function private.owns_ticket(ticket_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (
    select 1
    from public.tickets as t
    inner join public.customers as c on c.id = t.customer_id
    where t.id = owns_ticket.ticket_id and c.user_id = (select auth.uid())
  );
end;
$$;
comment on function private.owns_ticket(uuid) is 'True when the calling visitor opened this ticket.';
grant execute on function private.owns_ticket(uuid) to authenticated, service_role;

create function private.is_valid_status_transition(from_status text, to_status text) returns boolean
language sql immutable
set search_path = ''
as $$
  select from_status = to_status or (from_status, to_status) in (
    ('open', 'pending'), ('open', 'resolved'), ('open', 'closed'),
    ('pending', 'open'), ('pending', 'resolved'), ('pending', 'closed'),
    ('resolved', 'open'), ('resolved', 'closed')
  );
$$;
comment on function private.is_valid_status_transition(text, text) is
'The ticket lifecycle: open/pending/resolved may move between each other and to closed; closed is final.';
grant execute on function private.is_valid_status_transition(text, text) to authenticated, service_role;

-- ============================================================================
-- triggers
-- ============================================================================

-- Keeps updated_at, enforces the lifecycle and stamps resolved_at / closed_at.
create function private.tickets_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  if new.status is distinct from old.status then
    if not private.is_valid_status_transition(old.status, new.status) then
      raise exception using
        errcode = 'PT409',
        message = format('Ticket #%s cannot move from %s to %s', old.number, old.status, new.status),
        detail = 'invalid_transition',
        hint = 'Closed tickets are final; open a new ticket instead.';
    end if;
    if new.status = 'resolved' then
      new.resolved_at := now();
    elsif new.status = 'closed' then
      new.closed_at := now();
      new.resolved_at := coalesce(new.resolved_at, now());
    elsif old.status = 'resolved' then
      new.resolved_at := null;
    end if;
  end if;
  return new;
end;
$$;

create trigger tickets_before_update
before update on public.tickets
for each row execute function private.tickets_before_update();

-- Refuses messages on closed tickets. Security definer: a visitor cannot lock the ticket row.
create function private.messages_before_insert() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  ticket_status text;
  ticket_number bigint;
begin
  select status, number into ticket_status, ticket_number
  from public.tickets where id = new.ticket_id for update;
  -- Only tell callers who may see the ticket that it is closed; for anyone else RLS refuses the
  -- insert, so the error does not reveal that the ticket exists. (No auth.uid(): a trusted session.)
  if ticket_status = 'closed' and (
    (select auth.uid()) is null or private.is_agent() or private.owns_ticket(new.ticket_id)
  ) then
    raise exception using
      errcode = 'PT409',
      message = format('Ticket #%s is closed', ticket_number),
      detail = 'ticket_closed',
      hint = 'Open a new ticket to continue the conversation.';
  end if;
  return new;
end;
$$;

create trigger messages_before_insert
before insert on public.messages
for each row execute function private.messages_before_insert();

-- Maintains last_message_at and first_response_at, and reopens a resolved ticket when the
-- customer writes again. Security definer: visitors have no UPDATE on tickets.
create function private.messages_after_insert() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update public.tickets as t
  set
    last_message_at = greatest(t.last_message_at, new.created_at),
    first_response_at = case
      when new.sender_type = 'admin' and t.first_response_at is null then new.created_at
      else t.first_response_at
    end,
    status = case
      when new.sender_type = 'customer' and t.status = 'resolved' then 'open'
      else t.status
    end
  where t.id = new.ticket_id;
  return null;
end;
$$;

create trigger messages_after_insert
after insert on public.messages
for each row execute function private.messages_after_insert();

-- ============================================================================
-- RLS
-- ============================================================================

alter table public.tickets enable row level security;
alter table public.messages enable row level security;

create policy "Visitors see their own tickets; agents see all"
on public.tickets for select
to authenticated
using (
    (select private.is_agent())
    or customer_id = (select private.current_customer_id())
);

create policy "Agents can update tickets"
on public.tickets for update
to authenticated
using ((select private.is_agent()))
with check ((select private.is_agent()));

create policy "Visitors see messages of their own tickets; agents see all"
on public.messages for select
to authenticated
using (
    (select private.is_agent())
    or ticket_id in (
        select t.id from public.tickets as t
        where t.customer_id = (select private.current_customer_id())
    )
);

create policy "Visitors add customer messages to own tickets; agents add agent messages"
on public.messages for insert
to authenticated
with check (
    sender_id = (select auth.uid())
    and (
        (
            sender_type = 'customer'
            and ticket_id in (
                select t.id from public.tickets as t
                where t.customer_id = (select private.current_customer_id())
            )
        )
        or (sender_type = 'admin' and (select private.is_agent()))
    )
);

grant select on public.tickets to authenticated;
grant update (subject, status, priority, assignee_id) on public.tickets to authenticated;
grant select, insert, update, delete on public.tickets to service_role;

grant select on public.messages to authenticated;
grant insert (ticket_id, sender_type, sender_id, content, client_id) on public.messages to authenticated;
grant select, insert, update, delete on public.messages to service_role;
