"""Where the database comes from and how it gets its schema: locate/create, embedded cluster,
platform bootstrap (`sql/`), app migrations (`supabase/migrations/`), seeds."""
