"""The supadesk CLI (CliRunner and real subprocesses), and agreement with the stock Supabase CLI."""
