-- Uploads that never became an attachment. A caller takes a signed upload URL, uploads, and the
-- file is linked only when add-message sends it; a visitor who closes the tab before sending leaves
-- an object nobody can reach (no attachment row, so no download URL) that still costs storage.
-- The sweep (`supadesk storage sweep`, run hourly by `supadesk start`) lists them here and removes
-- them through the Storage API, as hosted Storage refuses direct deletes from storage.objects.
--
-- Two windows keep the sweep from ever racing a message: an upload may be linked only while it is
-- younger than 6 hours (the trigger below), and the sweep only takes uploads older than 12 hours.
-- Without the first, a delete could land just as add-message links the file, and the cascade
-- from storage.objects would silently drop the fresh attachment row.

create function private.refuse_stale_upload() returns trigger
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  if exists (
    select 1 from storage.objects as o
    where o.id = new.object_id and o.created_at < now() - interval '6 hours'
  ) then
    perform private.api_error(
      '400', 'attachment_expired', 'an upload must be sent within 6 hours; attach the file again', 'attachments'
    );
  end if;
  return new;
end;
$$;
comment on function private.refuse_stale_upload() is
'Trigger: an attachment may only link an upload younger than 6 hours (the sweep takes 12+).';
revoke execute on function private.refuse_stale_upload() from public, anon, authenticated;

create trigger attachments_refuse_stale_upload
before insert on public.attachments
for each row execute function private.refuse_stale_upload();

create function public.unattached_uploads(
    older_than interval default interval '24 hours',
    max_rows integer default 1000
) returns table (name text, created_at timestamptz)
language plpgsql stable
set search_path = ''
as $$
begin
  if older_than < interval '12 hours' then
    raise exception 'older_than must be at least 12 hours'
      using errcode = '22023', hint = 'Uploads younger than that may still be sent with a message.';
  end if;
  if max_rows not between 1 and 10000 then
    raise exception 'max_rows must be between 1 and 10000' using errcode = '22023';
  end if;
  return query
    select o.name, o.created_at
    from storage.objects as o
    where o.bucket_id = 'support-attachments'
      and o.name like 'tickets/%'
      and o.created_at < now() - older_than
      and not exists (select 1 from public.attachments as a where a.object_id = o.id)
    order by o.created_at
    limit max_rows;
end;
$$;
comment on function public.unattached_uploads(interval, integer) is
'Objects in support-attachments that no attachment row references and that are older than older_than
(at least 12 hours), oldest first: what the upload sweep removes through the Storage API.';

-- Invoker rights: only the service role reads every object; nobody else may even ask.
revoke execute on function public.unattached_uploads(interval, integer) from public, anon, authenticated;
grant execute on function public.unattached_uploads(interval, integer) to service_role;
