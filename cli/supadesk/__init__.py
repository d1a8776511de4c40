"""supadesk: a Supabase-native support desk and the local stack that runs it without Docker."""

__version__ = "0.1.0"
