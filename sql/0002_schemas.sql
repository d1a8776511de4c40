-- Schemas Supabase provides, owned by supabase_admin as on Supabase (the stock CLI's
-- `db reset --db-url` drops every schema supabase_admin does not own).

create schema if not exists extensions authorization supabase_admin;
create schema if not exists auth authorization supabase_admin;
create schema if not exists storage authorization supabase_admin;
create schema if not exists realtime authorization supabase_admin;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

grant usage on schema public to postgres, anon, authenticated, service_role;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant usage on schema auth to postgres, anon, authenticated, service_role;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
grant all on schema auth, storage, realtime to postgres;
grant all on schema auth to supabase_auth_admin;
grant all on schema storage to supabase_storage_admin;

-- Mirror the cloud default since the CLI's 2026-10-30 deprecation: new public objects are NOT
-- exposed to the API roles, so a migration that forgets its GRANT fails locally too.
alter default privileges for role postgres in schema public
revoke select, insert, update, delete, truncate, references, trigger on tables
from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
revoke usage, select on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
revoke execute on functions from anon, authenticated, service_role;

-- As on Supabase, SQL run by migrations and seeds finds extension functions without qualification.
do $$
begin
    execute format('alter database %I set search_path = "$user", public, extensions', current_database());
end
$$;

-- The publication app migrations add their tables to; created empty as on Supabase.
do $$
begin
    if not exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
        create publication supabase_realtime;
    end if;
end
$$;
