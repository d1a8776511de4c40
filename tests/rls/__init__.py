"""Row-level security, declared as a matrix of cases (tests/rls/matrix.py)."""
