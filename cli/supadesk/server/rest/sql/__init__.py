"""SQL stage: plans → SQL text plus where each bound parameter comes from."""
