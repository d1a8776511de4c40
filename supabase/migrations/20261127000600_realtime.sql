-- Realtime: which tables stream changes, and who may join the private broadcast/presence channels.

-- Full replica identity so UPDATE/DELETE events carry the old row (old_record).
alter table public.tickets replica identity full;
alter table public.messages replica identity full;

alter publication supabase_realtime add table public.tickets;
alter publication supabase_realtime add table public.messages;

-- Private channels are authorized by RLS on realtime.messages, evaluated with realtime.topic():
--   ticket:<ticket uuid>  typing indicators and presence of one conversation (its visitor + agents)
--   agents:presence       agents' online status (agents track; any signed-in user may listen)

create function private.can_read_topic(topic text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  if topic = 'agents:presence' then
    return (select auth.uid()) is not null;
  end if;
  if topic ~ '^ticket:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return private.is_agent() or private.owns_ticket(substr(topic, 8)::uuid);
  end if;
  return false;
end;
$$;
comment on function private.can_read_topic(text) is 'Who may join a private realtime channel.';

create function private.can_write_topic(topic text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  if topic = 'agents:presence' then
    return private.is_agent();
  end if;
  return private.can_read_topic(topic);
end;
$$;
comment on function private.can_write_topic(text) is 'Who may broadcast or track presence on a private channel.';

grant execute on function private.can_read_topic(text) to authenticated, service_role;
grant execute on function private.can_write_topic(text) to authenticated, service_role;

create policy "Participants can receive private channel messages"
on realtime.messages for select
to authenticated
using ((select private.can_read_topic((select realtime.topic()))));

create policy "Participants can send private channel messages"
on realtime.messages for insert
to authenticated
with check ((select private.can_write_topic((select realtime.topic()))));
