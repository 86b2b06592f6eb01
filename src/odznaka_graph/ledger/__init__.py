"""The relational store: accounts and secrets, the credential ledger, audit log, outbox."""
