"""Demo data: issuers of every kind with complete microcredentials, users and awards."""
