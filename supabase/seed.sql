-- Minimal seed for `supabase db reset`: the schema needs no rows to work. Demo data (agents,
-- customers, 90 days of tickets) comes from `supadesk db seed demo`, which bulk-loads with COPY.
select 1;
