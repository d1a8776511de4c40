-- The ticket API behind the edge functions: one transaction per call, so a ticket never exists without
-- its first message and an attachment row never without its verified object. Errors are SQLSTATE PTnnn
-- (PostgREST answers HTTP nnn) with the API error code in `detail` and the field in `hint`; the edge
-- functions map them 1:1 (supabase/functions/_shared/errors.ts).

-- ============================================================================
-- helpers
-- ============================================================================

-- Volatile (not immutable) so the planner never evaluates a raise early.
create function private.api_error(status text, code text, message text, field text default null) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'PT' || api_error.status, message = api_error.message, detail = api_error.code,
    hint = coalesce(api_error.field, '');
end;
$$;
comment on function private.api_error(text, text, text, text) is
'Raises PT<status>: detail = the API error code, hint = the field.';
grant execute on function private.api_error(text, text, text, text) to authenticated, service_role;

create function private.invalid(field text, problem text) returns void
language sql volatile
set search_path = ''
as $$
  select private.api_error('400', 'validation_failed', field || ' ' || problem, field);
$$;
comment on function private.invalid(text, text) is 'Raises PT400 validation_failed for one field.';
grant execute on function private.invalid(text, text) to authenticated, service_role;

create function private.require_user() returns uuid
language plpgsql stable
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    perform private.api_error('401', 'not_authenticated', 'Sign in first (an anonymous session is enough)');
  end if;
  return (select auth.uid());
end;
$$;
comment on function private.require_user() is
'The caller''s user id; PT401 not_authenticated without one (anon, service role).';
grant execute on function private.require_user() to authenticated, service_role;

create function private.can_post_to_ticket(ticket_id uuid) returns boolean
language sql stable
set search_path = ''
as $$
  select (select private.is_agent()) or private.owns_ticket(can_post_to_ticket.ticket_id);
$$;
comment on function private.can_post_to_ticket(uuid) is
'True for the ticket''s visitor and for agents (as the RLS policies).';
grant execute on function private.can_post_to_ticket(uuid) to authenticated, service_role;

create function private.require_open_ticket(ticket_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if require_open_ticket.ticket_id is null or not private.can_post_to_ticket(require_open_ticket.ticket_id) then
    perform private.api_error('404', 'ticket_not_found', 'Ticket not found');
  end if;
  if (select t.status from public.tickets as t where t.id = require_open_ticket.ticket_id) = 'closed' then
    perform private.api_error('409', 'ticket_closed', 'Ticket is closed; open a new ticket to continue');
  end if;
end;
$$;
comment on function private.require_open_ticket(uuid) is
'PT404 ticket_not_found unless the caller may post to the ticket (exists or not), PT409 if closed.';
grant execute on function private.require_open_ticket(uuid) to authenticated, service_role;

-- The helpers below read without RLS; only the security definer functions of this file call them.
create function private.ticket_result(message_id uuid, created boolean) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'ticket', to_jsonb(t), 'message', to_jsonb(m), 'customer', to_jsonb(c), 'created', ticket_result.created
  )
  from public.messages as m
  inner join public.tickets as t on m.ticket_id = t.id
  inner join public.customers as c on t.customer_id = c.id
  where m.id = ticket_result.message_id;
$$;
comment on function private.ticket_result(uuid, boolean) is 'The create_ticket result for its first message.';
revoke execute on function private.ticket_result(uuid, boolean) from public;

create function private.message_result(message_id uuid, created boolean) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'message', to_jsonb(m),
    'attachments', coalesce(
      (select jsonb_agg(to_jsonb(a) order by a.created_at, a.id) from public.attachments as a where a.message_id = m.id),
      '[]'::jsonb
    ),
    'created', message_result.created
  )
  from public.messages as m
  where m.id = message_result.message_id;
$$;
comment on function private.message_result(uuid, boolean) is 'The add_message result: {message, attachments, created}.';
revoke execute on function private.message_result(uuid, boolean) from public;

create function private.retried_message(ticket_id uuid, client_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  existing public.messages;
begin
  select m.* into existing
  from public.messages as m
  where m.ticket_id = retried_message.ticket_id and m.client_id = retried_message.client_id;
  if not found then
    return null;
  end if;
  if existing.sender_id is distinct from (select auth.uid()) then
    perform private.api_error('409', 'client_id_conflict', 'This client_id belongs to another message', 'client_id');
  end if;
  return private.message_result(existing.id, false);
end;
$$;
comment on function private.retried_message(uuid, uuid) is
'The stored message of a retried add_message (created = false), or null; PT409 client_id_conflict when
another user sent it.';
revoke execute on function private.retried_message(uuid, uuid) from public;

-- ============================================================================
-- create_ticket
-- ============================================================================

-- Security definer: visitors have no INSERT on customers or tickets; this is the one way to open a
-- ticket. The visitor is auth.uid(), never an argument, so /rest/v1/rpc/create_ticket is as safe as the
-- edge function (which adds per-IP and per-visitor limits); the fixed ceiling below guards the RPC path.
create function public.create_ticket(
    subject text,
    message text,
    email text,
    name text default null,
    client_id uuid default null
) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  -- Far above the edge function's default (6 per 12 hours).
  ceiling_tickets constant integer := 30;
  ceiling_window constant interval := interval '1 hour';
  caller uuid := private.require_user();
  clean_subject text := btrim(create_ticket.subject);
  clean_message text := btrim(create_ticket.message, e' \t\r\n');
  clean_email text := btrim(create_ticket.email);
  clean_name text := nullif(btrim(create_ticket.name), '');
  retried uuid;
  recent integer;
  oldest timestamptz;
  new_customer_id uuid;
  new_ticket_id uuid;
  message_id uuid;
begin
  if clean_subject is null or char_length(clean_subject) not between 1 and 200 then
    perform private.invalid('subject', 'must be 1-200 characters');
  end if;
  if clean_message is null or char_length(clean_message) not between 1 and 5000 then
    perform private.invalid('message', 'must be 1-5000 characters');
  end if;
  if clean_email is null or char_length(clean_email) > 320 or clean_email !~* '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    perform private.invalid('email', 'must be a valid email address');
  end if;
  if char_length(clean_name) > 100 then
    perform private.invalid('name', 'must be 1-100 characters');
  end if;

  -- One create at a time per visitor: the retry check and the ceiling are exact.
  perform pg_advisory_xact_lock(hashtextextended('supadesk.create_ticket:' || caller::text, 0));

  -- A retry with the same client_id returns the ticket the first attempt created.
  select m.id into retried
  from public.messages as m
  inner join public.tickets as t on m.ticket_id = t.id
  inner join public.customers as c on t.customer_id = c.id
  where m.client_id = create_ticket.client_id and m.sender_id = caller and c.user_id = caller
  limit 1;
  if retried is not null then
    return private.ticket_result(retried, false);
  end if;

  select count(*), min(t.created_at) into recent, oldest
  from public.tickets as t
  inner join public.customers as c on t.customer_id = c.id
  where c.user_id = caller and t.created_at > now() - ceiling_window;
  if recent >= ceiling_tickets then
    perform private.api_error(
      '429', 'rate_limited', 'Too many new tickets; please try again later',
      ceil(extract(epoch from oldest + ceiling_window - now()))::integer::text
    );
  end if;

  -- The latest email (and name, if given) win.
  insert into public.customers as c (user_id, email, name)
  values (caller, clean_email, clean_name)
  on conflict (user_id) do update set email = excluded.email, name = coalesce(excluded.name, c.name)
  returning c.id into new_customer_id;

  insert into public.tickets (customer_id, subject)
  values (new_customer_id, clean_subject)
  returning id into new_ticket_id;

  insert into public.messages (ticket_id, sender_type, sender_id, content, client_id)
  values (new_ticket_id, 'customer', caller, clean_message, coalesce(create_ticket.client_id, gen_random_uuid()))
  returning id into message_id;

  return private.ticket_result(message_id, true);
end;
$$;
comment on function public.create_ticket(text, text, text, text, uuid) is
'Opens a ticket for the calling visitor (customer row found or created, ticket and first message);
returns {ticket, message, customer, created}. A retry with the same client_id returns the first result.';
revoke execute on function public.create_ticket(text, text, text, text, uuid) from public, anon;
grant execute on function public.create_ticket(text, text, text, text, uuid) to authenticated;

-- ============================================================================
-- add_message
-- ============================================================================

-- Security definer: nobody else writes attachment rows. Each file must lie directly in
-- tickets/<ticket_id>/, exist in the bucket and be the caller's upload; it stays locked until commit.
-- sender_type follows from the caller (agent -> admin, visitor -> customer), never from an argument.
create function public.add_message(
    ticket_id uuid,
    content text,
    client_id uuid,
    attachments jsonb default '[]'::jsonb
) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  bucket_name constant text := 'support-attachments';
  caller uuid := private.require_user();
  clean_content text := btrim(add_message.content, e' \t\r\n');
  items jsonb := coalesce(add_message.attachments, '[]'::jsonb);
  folder text := 'tickets/' || add_message.ticket_id::text || '/';
  retried jsonb;
  item jsonb;
  item_index integer := 0;
  field text;
  label text;
  paths text[] := '{}';
  object_row storage.objects;
  new_message_id uuid;
begin
  if add_message.client_id is null then
    perform private.invalid('client_id', 'is required');
  end if;
  if add_message.ticket_id is null or not private.can_post_to_ticket(add_message.ticket_id) then
    perform private.api_error('404', 'ticket_not_found', 'Ticket not found');
  end if;
  retried := private.retried_message(add_message.ticket_id, add_message.client_id);
  if retried is not null then
    return retried;
  end if;
  perform private.require_open_ticket(add_message.ticket_id);

  if clean_content is null or char_length(clean_content) not between 1 and 5000 then
    perform private.invalid('content', 'must be 1-5000 characters');
  end if;
  if jsonb_typeof(items) <> 'array' then
    perform private.invalid('attachments', 'must be an array');
  end if;
  if jsonb_array_length(items) > 10 then
    perform private.invalid('attachments', 'must hold at most 10 files');
  end if;

  -- Check every attachment before writing anything.
  for item in select value from jsonb_array_elements(items) loop
    label := format('attachments[%s]', item_index);
    if jsonb_typeof(item) <> 'object' then
      perform private.invalid(label, 'must be an object');
    end if;
    foreach field in array array['object_path', 'file_name', 'mime_type'] loop
      if jsonb_typeof(item -> field) is distinct from 'string'
        or char_length(item ->> field) not between 1 and (case field when 'object_path' then 1024 else 255 end) then
        perform private.invalid(label || '.' || field, 'is required (a short string)');
      end if;
    end loop;
    if left(item ->> 'object_path', char_length(folder)) <> folder
      or char_length(item ->> 'object_path') = char_length(folder)
      or strpos(substr(item ->> 'object_path', char_length(folder) + 1), '/') > 0 then
      perform private.api_error(
        '400', 'invalid_attachment_path',
        format('%s.object_path must be a file directly under %s', label, folder), label || '.object_path'
      );
    end if;
    if (item ->> 'object_path') = any(paths) then
      perform private.invalid(label || '.object_path', 'is listed twice');
    end if;
    paths := paths || (item ->> 'object_path');

    select o.* into object_row
    from storage.objects as o
    where o.bucket_id = bucket_name and o.name = item ->> 'object_path'
    for share;
    if not found then
      perform private.api_error(
        '400', 'attachment_not_uploaded', label || ' has not been uploaded', label || '.object_path'
      );
    end if;
    if coalesce(object_row.owner_id, object_row.owner::text) is distinct from caller::text then
      perform private.api_error('403', 'attachment_not_owned', label || ' was not uploaded by you', label || '.object_path');
    end if;
    if exists (select 1 from public.attachments as a where a.object_id = object_row.id) then
      perform private.api_error(
        '409', 'attachment_already_linked', label || ' is already attached to a message', label || '.object_path'
      );
    end if;
    item_index := item_index + 1;
  end loop;

  insert into public.messages (ticket_id, sender_type, sender_id, content, client_id)
  values (
    add_message.ticket_id, case when (select private.is_agent()) then 'admin' else 'customer' end,
    caller, clean_content, add_message.client_id
  )
  on conflict on constraint messages_client_id_per_ticket do nothing
  returning id into new_message_id;
  if new_message_id is null then
    -- A concurrent retry got there first.
    return private.retried_message(add_message.ticket_id, add_message.client_id);
  end if;

  insert into public.attachments (ticket_id, message_id, object_id, bucket, object_path, file_name, mime_type, size_bytes)
  select
    add_message.ticket_id, new_message_id, o.id, bucket_name, o.name, i.value ->> 'file_name',
    -- What Storage recorded (it checked the bytes) wins over what the client declared.
    coalesce(nullif(split_part(o.metadata ->> 'mimetype', ';', 1), ''), lower(i.value ->> 'mime_type')),
    coalesce((o.metadata ->> 'size')::bigint, (o.metadata ->> 'contentLength')::bigint, 0)
  from jsonb_array_elements(items) with ordinality as i (value, n)
  inner join storage.objects as o on o.bucket_id = bucket_name and o.name = i.value ->> 'object_path';

  return private.message_result(new_message_id, true);
end;
$$;
comment on function public.add_message(uuid, text, uuid, jsonb) is
'Adds a message with already uploaded files ([{object_path, file_name, mime_type}]) to a ticket the caller
may post to; returns {message, attachments, created}. A retry with the same client_id returns the first.';
revoke execute on function public.add_message(uuid, text, uuid, jsonb) from public, anon;
grant execute on function public.add_message(uuid, text, uuid, jsonb) to authenticated;

-- ============================================================================
-- update_ticket_status
-- ============================================================================

-- Security invoker: RLS already lets agents update tickets.status; this adds the agent check (403, not
-- "0 rows"). The tickets triggers enforce the lifecycle (PT409 invalid_transition), stamp
-- resolved_at/closed_at and log the analytics events.
create function public.update_ticket_status(ticket_id uuid, status text) returns jsonb
language plpgsql volatile security invoker
set search_path = ''
as $$
declare
  ticket_row public.tickets;
begin
  perform private.require_user();
  if not (select private.is_agent()) then
    perform private.api_error('403', 'forbidden', 'Only support agents can change a ticket''s status');
  end if;
  if update_ticket_status.status is null or update_ticket_status.status not in ('open', 'pending', 'resolved', 'closed') then
    perform private.invalid('status', 'must be one of open, pending, resolved, closed');
  end if;
  update public.tickets as t
  set status = update_ticket_status.status
  where t.id = update_ticket_status.ticket_id
  returning t.* into ticket_row;
  if not found then
    perform private.api_error('404', 'ticket_not_found', 'Ticket not found');
  end if;
  return jsonb_build_object('ticket', to_jsonb(ticket_row));
end;
$$;
comment on function public.update_ticket_status(uuid, text) is
'Agents only: moves a ticket to another status within the allowed transitions; returns {ticket}.';
revoke execute on function public.update_ticket_status(uuid, text) from public, anon;
grant execute on function public.update_ticket_status(uuid, text) to authenticated;

-- ============================================================================
-- check_attachment_upload
-- ============================================================================

-- Security definer: only the service role can read storage.buckets (RLS, no policies), and the bucket
-- row is the one source of truth for the size limit and the MIME whitelist.
create function public.check_attachment_upload(ticket_id uuid, mime_type text, size_bytes bigint) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  bucket_row storage.buckets;
  declared text := lower(btrim(check_attachment_upload.mime_type));
begin
  perform private.require_user();
  perform private.require_open_ticket(check_attachment_upload.ticket_id);
  select b.* into strict bucket_row from storage.buckets as b where b.id = 'support-attachments';
  if coalesce(declared, '') = '' then
    perform private.invalid('mime_type', 'is required');
  end if;
  if bucket_row.allowed_mime_types is not null and not exists (
    select 1 from unnest(bucket_row.allowed_mime_types) as allowed (pattern)
    where allowed.pattern = declared
      or (allowed.pattern like '%/*' and split_part(declared, '/', 1) = split_part(allowed.pattern, '/', 1))
  ) then
    perform private.api_error(
      '415', 'unsupported_file_type', format('Files of type %s cannot be attached', declared), 'mime_type'
    );
  end if;
  if check_attachment_upload.size_bytes is null or check_attachment_upload.size_bytes < 1 then
    perform private.invalid('size', 'must be a positive number of bytes');
  end if;
  if check_attachment_upload.size_bytes > bucket_row.file_size_limit then
    perform private.api_error(
      '413', 'file_too_large', format('Files larger than %s bytes cannot be attached', bucket_row.file_size_limit),
      'size'
    );
  end if;
  return jsonb_build_object('bucket', bucket_row.id, 'file_size_limit', bucket_row.file_size_limit);
end;
$$;
comment on function public.check_attachment_upload(uuid, text, bigint) is
'Before a signed upload URL: the caller may post to the ticket and the declared type and size fit the
bucket; returns {bucket, file_size_limit}. Storage checks the real bytes again.';
revoke execute on function public.check_attachment_upload(uuid, text, bigint) from public, anon;
grant execute on function public.check_attachment_upload(uuid, text, bigint) to authenticated;
