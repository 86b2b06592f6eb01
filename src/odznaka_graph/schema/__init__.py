"""GraphQL types, inputs and result unions, per domain. No I/O beyond the context's loaders."""
