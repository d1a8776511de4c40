"""The schema cache: what the exposed schema holds, loaded from the catalog at startup."""
