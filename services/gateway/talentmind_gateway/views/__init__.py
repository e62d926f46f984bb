"""HTTP handlers, one module per resource of the API."""
