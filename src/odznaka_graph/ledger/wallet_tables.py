"""Tables of wallet presentations (issue 16, OpenID4VP): the verifier's development
certificate and key, each presentation request with its per-request encryption key and
outcome, and the wallet identities linked to accounts. `tables` re-exports them."""

import sqlalchemy as sa

from odznaka_graph.ledger.table_types import AT, ID, metadata

# The verifier's signing key (sealed) and its certificate chain, made once per
# installation so that every instance signs request objects under the same `x509_hash`.
wallet_verifier_keys = sa.Table(
    "wallet_verifier_keys",
    metadata,
    sa.Column("id", sa.String(20), primary_key=True),  # "current"
    sa.Column("private_key", sa.Text, nullable=False),
    sa.Column("certificates", sa.JSON, nullable=False),  # base64 DER, leaf first, then CA
    sa.Column("created_at", AT, nullable=False),
)

# One OpenID4VP request: found by the hash of its request_uri code, answered once.
wallet_presentation_requests = sa.Table(
    "wallet_presentation_requests",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("result_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("purpose", sa.String(20), nullable=False),  # SIGN_IN, DOOR_CHECK
    sa.Column("requester_id", ID),  # the event host (door check)
    sa.Column("event_id", ID),
    sa.Column("badge_ids", sa.JSON),
    sa.Column("client_id", sa.String(100), nullable=False),
    sa.Column("nonce", sa.String(64), nullable=False),
    sa.Column("state", sa.String(64), nullable=False),
    sa.Column("encryption_key", sa.Text, nullable=False),  # sealed private JWK
    sa.Column("dcql", sa.JSON, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("expires_at", AT, nullable=False, index=True),
    sa.Column("answered_at", AT),
    sa.Column("outcome", sa.JSON),  # status, reason, account, claims...
    sa.Column("collected_at", AT),  # sign-in: the tokens were handed out (once)
)

# A wallet identity (the issuer and subject of a credential it presented) linked to an
# account on its first sign-in; used again at every later one.
wallet_identities = sa.Table(
    "wallet_identities",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("issuer", sa.String(300), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("linked_at", AT, nullable=False),
    sa.Column("last_used_at", AT, nullable=False),
    sa.UniqueConstraint("issuer", "subject", name="uq_wallet_identities_subject"),
)
