"""Database tests: contract (linter), constraints, triggers, analytics functions, demo seed."""
