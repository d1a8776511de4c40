-- Agents (users) and visitors (customers), and the helpers that tell them apart.

-- ============================================================================
-- tables
-- ============================================================================

create table public.users (
    id uuid primary key references auth.users (id) on delete cascade,
    email text not null,
    display_name text not null,
    role text not null default 'agent',
    created_at timestamptz not null default now(),
    constraint users_email_format check (email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    constraint users_email_length check (char_length(email) <= 320),
    constraint users_display_name_length check (char_length(display_name) between 1 and 100),
    constraint users_role_valid check (role in ('admin', 'agent'))
);
comment on table public.users is 'Support agents and admins; id is the auth.users id of their account.';
create unique index users_email_key on public.users (lower(email));

create table public.customers (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references auth.users (id) on delete cascade,
    email text not null,
    name text,
    created_at timestamptz not null default now(),
    constraint customers_user_id_key unique (user_id),
    constraint customers_email_format check (email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    constraint customers_email_length check (char_length(email) <= 320),
    constraint customers_name_length check (name is null or char_length(name) between 1 and 100)
);
comment on table public.customers is
'Website visitors; user_id is the auth.uid() of the visitor''s (usually anonymous) session.';
create index customers_email_idx on public.customers (lower(email));

-- ============================================================================
-- RLS helpers: security definer so policies do not recurse through other tables' RLS
-- ============================================================================

-- plpgsql, not sql: a security definer sql function is never inlined and is planned again in
-- every statement that calls it, while plpgsql keeps its plan for the session. Every policy calls
-- these once per statement, so that planning was most of the cost of RLS (bench/db.py).
create function private.is_agent() returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (select 1 from public.users where id = (select auth.uid()));
end;
$$;
comment on function private.is_agent() is 'True when the caller is a support agent or admin.';

create function private.is_admin() returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (select 1 from public.users where id = (select auth.uid()) and role = 'admin');
end;
$$;
comment on function private.is_admin() is 'True when the caller is an admin.';

create function private.current_customer_id() returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return (select id from public.customers where user_id = (select auth.uid()));
end;
$$;
comment on function private.current_customer_id() is 'The customers.id of the calling visitor, or null.';

grant execute on function private.is_agent() to authenticated, service_role;
grant execute on function private.is_admin() to authenticated, service_role;
grant execute on function private.current_customer_id() to authenticated, service_role;

-- ============================================================================
-- RLS
-- ============================================================================

alter table public.users enable row level security;
alter table public.customers enable row level security;

create policy "Agents can view agents"
on public.users for select
to authenticated
using ((select private.is_agent()));

create policy "Admins can update agents"
on public.users for update
to authenticated
using ((select private.is_admin()))
with check ((select private.is_admin()));

create policy "Visitors see their own customer row; agents see all"
on public.customers for select
to authenticated
using (user_id = (select auth.uid()) or (select private.is_agent()));

create policy "Agents can update customers"
on public.customers for update
to authenticated
using ((select private.is_agent()))
with check ((select private.is_agent()));

grant select on public.users to authenticated;
grant update (display_name, role) on public.users to authenticated;
grant select, insert, update, delete on public.users to service_role;

grant select on public.customers to authenticated;
grant update (email, name) on public.customers to authenticated;
grant select, insert, update, delete on public.customers to service_role;
