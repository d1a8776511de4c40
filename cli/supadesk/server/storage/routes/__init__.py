"""Storage routes, one module per resource and operation group."""
