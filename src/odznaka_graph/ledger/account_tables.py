"""Tables of the account lifecycle and what came with it (issues 14-16): mail, sessions,
address changes, data archives, wallet offers, pupils. `tables` re-exports them."""

import sqlalchemy as sa

from odznaka_graph.ledger.table_types import AT, ID, metadata

# Mail (issue 14): messages queued in the transaction that causes them, sent by the mail
# worker (mail_worker.py); `id` makes the Message-ID, so a message is sent once.
mail_messages = sa.Table(
    "mail_messages",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("recipient", sa.String(254), nullable=False),
    sa.Column("account_id", ID, index=True),
    sa.Column("locale", sa.String(5), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # QUEUED, SENT, FAILED
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", AT, nullable=False),
    sa.Column("last_error", sa.String(500)),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("sent_at", AT),
    sa.Column("claim", ID),  # the lease of the worker sending it (mail/worker.py)
    sa.Index("ix_mail_messages_due", "status", "next_attempt_at"),
)

# Per account: the language of its mail and the kinds it turned on or off (`choices`,
# kind -> bool; a kind not listed keeps its default).
mail_preferences = sa.Table(
    "mail_preferences",
    metadata,
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True),
    sa.Column("locale", sa.String(5)),
    sa.Column("choices", sa.JSON, nullable=False),
)

# One-time tokens for password reset (issue 14): stored hashed, single use, expiring.
password_resets = sa.Table(
    "password_resets",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("expires_at", AT, nullable=False),
    sa.Column("used_at", AT),
)

# A session (refresh family, issue 14): the device it started on and its last use (each
# refresh), listed in `me { sessions }`.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("family_id", ID, primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("device", sa.String(200)),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("last_used_at", AT, nullable=False),
)

# An address an account asked to sign in with instead (changeEmail, issue 14): it takes
# over once verified.
email_changes = sa.Table(
    "email_changes",
    metadata,
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("requested_at", AT, nullable=False),
)

# Personal data archives (exportMyData, issue 14): the JSON, downloadable with the secret
# token mailed to the person until it expires.
data_exports = sa.Table(
    "data_exports",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("content", sa.Text),  # NULL once downloaded, replaced or expired
    sa.Column("created_at", AT, nullable=False),
    sa.Column("expires_at", AT, nullable=False),
    sa.Column("used_at", AT),
)

# Wallet issuance (issue 16): OpenID4VCI credential offers with their pre-authorised code,
# transaction code and access token (hashes only), and the key-proof nonces handed out.
wallet_offers = sa.Table(
    "wallet_offers",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("award_id", ID, sa.ForeignKey("awards.id"), nullable=False, index=True),
    sa.Column("holder_id", ID, nullable=False),
    sa.Column("configuration_id", sa.String(80), nullable=False),
    sa.Column("tx_code_hash", sa.String(64), nullable=False),
    sa.Column("tx_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("expires_at", AT, nullable=False),
    sa.Column("redeemed_at", AT),
    sa.Column("token_hash", sa.String(64), unique=True),
    sa.Column("token_expires_at", AT),
    sa.Column("issued_at", AT),
)

wallet_nonces = sa.Table(
    "wallet_nonces",
    metadata,
    sa.Column("nonce", sa.String(64), primary_key=True),
    sa.Column("expires_at", AT, nullable=False, index=True),
    sa.Column("used_at", AT),
)

# --- pupils (issue 15): accounts a teacher enrols without an e-mail address ------------
# The name the teacher typed stays here (shown to the class's teachers only); the graph
# knows the pupil by the shown name (pseudonym, or first name + initial).
pupils = sa.Table(
    "pupils",
    metadata,
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True),
    sa.Column("team_id", ID, nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("shown_name", sa.String(100), nullable=False),
    sa.Column("age_band", sa.String(20), nullable=False),
    sa.Column("enrolled_by", ID, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("signed_in_at", AT),
    sa.Column("removed_at", AT),  # taken out of the class: off the roster, codes void
)

# The age band someone gave when registering themselves (issue 15): a minor starts with a
# pupil's protections (services/pupil_rules.py).
registered_age_bands = sa.Table(
    "registered_age_bands",
    metadata,
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True),
    sa.Column("age_band", sa.String(20), nullable=False),
    sa.Column("recorded_at", AT, nullable=False),
)

# One-time sign-in codes: only their hash is kept; used once, before they expire.
pupil_codes = sa.Table(
    "pupil_codes",
    metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("expires_at", AT, nullable=False),
    sa.Column("used_at", AT),
)

# A guardian's consent for a pupil under 16: who was asked, who gave it and when, and
# when it was withdrawn. The link's token is kept hashed.
guardian_consents = sa.Table(
    "guardian_consents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("guardian_email", sa.String(254), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("requested_by", ID, nullable=False),
    sa.Column("requested_at", AT, nullable=False),
    sa.Column("granted_at", AT),
    sa.Column("revoked_at", AT),
)

# Account merges (issue 14): an address the person added to their account (`target_id`)
# belongs to another account of theirs (`source_id`); the mail to it carries a token (kept
# hashed) that moves the other account's awards over, once. `merged_at` and `moved` answer
# a retried merge.
account_merges = sa.Table(
    "account_merges",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("source_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("target_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("expires_at", AT, nullable=False),
    sa.Column("merged_at", AT),
    sa.Column("moved", sa.Integer),
)
