-- Privileges first: nothing is callable or readable unless a later statement grants it.
-- (Supabase's default grants EXECUTE on new functions to PUBLIC; revoke that for this project.)

-- EXECUTE for PUBLIC comes from PostgreSQL's built-in global default, which a per-schema
-- `alter default privileges ... in schema` cannot take away; only the global form below does.
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

-- RLS helper functions live in `private`, which the Data API never exposes.
create schema if not exists private;
comment on schema private is 'Helpers for RLS policies and triggers; not exposed through the Data API.';

revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;
