"""Business rules and object-level authorisation, per domain."""
