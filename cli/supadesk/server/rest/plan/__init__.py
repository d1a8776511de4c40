"""Plan stage: parsed request + schema cache → typed plans whose every name is in the catalog."""
