-- Roles Supabase provides (supabase/postgres init-scripts and migrations), recreated for a plain
-- cluster. Roles are cluster-wide, so every statement tolerates an existing role.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'anon') then
        create role anon nologin noinherit;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'authenticated') then
        create role authenticated nologin noinherit;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'service_role') then
        create role service_role nologin noinherit bypassrls;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'authenticator') then
        create role authenticator login noinherit;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_admin') then
        create role supabase_admin login superuser createdb createrole replication bypassrls;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_auth_admin') then
        create role supabase_auth_admin login noinherit createrole;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_storage_admin') then
        create role supabase_storage_admin login noinherit createrole;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_realtime_admin') then
        create role supabase_realtime_admin nologin noinherit;
    end if;
end
$$;

-- Supabase later made the API roles inherit (20230529180330_alter_api_roles_for_inherit).
alter role anon inherit;
alter role authenticated inherit;

-- One role per statement: same effect as a role list, and sqlfluff's parser understands it.
grant anon to authenticator;
grant authenticated to authenticator;
grant service_role to authenticator;
grant anon to postgres;
grant authenticated to postgres;
grant service_role to postgres;
grant supabase_auth_admin to postgres;
grant supabase_storage_admin to postgres;

alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
