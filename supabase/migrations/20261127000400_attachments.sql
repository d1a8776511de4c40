-- Files attached to messages. Objects live in the private Storage bucket `support-attachments`
-- under `tickets/<ticket_id>/<uuid>-<safe-name>`; an attachment row references its storage object,
-- so no row can point to a missing file (deleting the object deletes the row).

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values (
    'support-attachments',
    'support-attachments',
    false,
    52428800,
    array[
        'image/png', 'image/jpeg', 'image/gif', 'image/webp',
        'video/mp4', 'video/webm', 'video/quicktime',
        'application/pdf',
        'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.ms-excel',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.ms-powerpoint',
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        'application/vnd.oasis.opendocument.text',
        'application/vnd.oasis.opendocument.spreadsheet',
        'application/zip', 'application/gzip', 'application/x-7z-compressed',
        'text/plain', 'text/csv'
    ]
)
on conflict (id) do nothing;

create table public.attachments (
    id uuid primary key default gen_random_uuid(),
    ticket_id uuid not null references public.tickets (id) on delete cascade,
    message_id uuid not null references public.messages (id) on delete cascade,
    object_id uuid not null references storage.objects (id) on delete cascade,
    bucket text not null default 'support-attachments',
    object_path text not null,
    file_name text not null,
    mime_type text not null,
    size_bytes bigint not null,
    created_at timestamptz not null default now(),
    constraint attachments_object_path_key unique (bucket, object_path),
    constraint attachments_object_in_ticket_folder check (
        object_path like 'tickets/' || ticket_id::text || '/%'
    ),
    constraint attachments_file_name_length check (char_length(file_name) between 1 and 255),
    constraint attachments_size_bytes_valid check (size_bytes >= 0)
);
comment on table public.attachments is
'Files attached to messages; written only by the add-message edge function after it verified the upload.';
create index attachments_ticket_id_idx on public.attachments (ticket_id);
create index attachments_message_id_idx on public.attachments (message_id);
create index attachments_object_id_idx on public.attachments (object_id);

alter table public.attachments enable row level security;

create policy "Visitors see attachments of their own tickets; agents see all"
on public.attachments for select
to authenticated
using (
    (select private.is_agent())
    or ticket_id in (
        select t.id from public.tickets as t
        where t.customer_id = (select private.current_customer_id())
    )
);

grant select on public.attachments to authenticated;
grant select, insert, update, delete on public.attachments to service_role;

-- ============================================================================
-- Storage policies: visitors only inside their own tickets' folders, agents everywhere
-- ============================================================================

create function private.can_access_ticket_folder(object_name text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select (storage.foldername(object_name))[1] = 'tickets'
    and (
      exists (select 1 from public.users where id = (select auth.uid()))
      or exists (
        select 1
        from public.tickets as t
        inner join public.customers as c on c.id = t.customer_id
        where t.id::text = (storage.foldername(object_name))[2]
          and c.user_id = (select auth.uid())
      )
    );
$$;
comment on function private.can_access_ticket_folder(text) is
'True when the caller may read or write objects under tickets/<ticket_id>/ (its visitor, or an agent).';
grant execute on function private.can_access_ticket_folder(text) to authenticated, service_role;

create policy "Ticket participants can read attachments"
on storage.objects for select
to authenticated
using (bucket_id = 'support-attachments' and private.can_access_ticket_folder(name));

create policy "Ticket participants can upload attachments"
on storage.objects for insert
to authenticated
with check (bucket_id = 'support-attachments' and private.can_access_ticket_folder(name));
