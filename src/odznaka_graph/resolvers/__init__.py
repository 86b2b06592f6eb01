"""Thin resolvers: authenticate, authorise, call a service, return a schema type."""
