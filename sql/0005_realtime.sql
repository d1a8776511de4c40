-- The objects of Supabase Realtime that app migrations write policies against
-- (supabase/realtime tenant migrations): realtime.messages, whose RLS policies authorize private
-- channels, and realtime.topic(). Hosted Realtime partitions messages by day; locally it is only
-- used for authorization probes and stays a plain table.

create table if not exists realtime.messages (
    topic text not null,
    extension text not null,
    payload jsonb,
    event text,
    private boolean default false,
    updated_at timestamp not null default now(),
    inserted_at timestamp not null default now(),
    id uuid not null default gen_random_uuid(),
    primary key (id, inserted_at)
);
comment on table realtime.messages is 'Realtime: broadcast/presence messages; RLS authorizes private channels.';
create index if not exists messages_topic_idx on realtime.messages (topic);

alter table realtime.messages enable row level security;

create or replace function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;

grant select, insert, update on realtime.messages to anon, authenticated, service_role, postgres;
grant execute on function realtime.topic() to anon, authenticated, service_role, postgres;
