"""sqlfluff over sql/ and supabase/migrations/ (config: .sqlfluff)."""
