"""Settings from the environment or `.env`; every field is listed in the README."""

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from odznaka_graph.installation_secrets import check, installation_secret

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    var_dir: Path = Field(PROJECT_ROOT / "var", description="Where local data lives.")
    host: str = Field("127.0.0.1", description="Address uvicorn binds to.")
    port: int = Field(8000, description="Port uvicorn binds to.")

    neo4j_uri: str | None = Field(
        None, description="Existing Neo4j (bolt:// or neo4j://); unset starts a local one."
    )
    neo4j_user: str = Field("neo4j", description="Neo4j user.")
    neo4j_password: SecretStr | None = Field(None, description="Neo4j password.")
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    neo4j_bolt_port: int = Field(7687, description="Bolt port of the local Neo4j.")
    neo4j_heap: str = Field("2g", description="Heap of the local Neo4j JVM.")
    neo4j_page_cache: str = Field("2g", description="Page cache of the local Neo4j.")

    database_url: str | None = Field(
        None, description="SQLAlchemy async URL; default SQLite file under VAR_DIR."
    )
    redis_url: str | None = Field(None, description="Redis for pub/sub; unset: in-memory.")

    jwt_secret: SecretStr = Field(
        SecretStr(""),  # replaced by _installation_secrets
        description="HMAC key for access tokens (at least 32 bytes); unset: a random one "
        "made on first start and kept in VAR_DIR/secrets/jwt_secret.",
    )
    access_token_minutes: int = Field(15, description="Access token lifetime.")
    refresh_token_days: int = Field(30, description="Refresh token lifetime.")
    reviewer_emails: list[str] = Field(
        default_factory=list,
        description="E-mails that get the platform reviewer role once verified.",
    )
    password_hash_cost: Literal["standard", "minimum"] = Field(
        "standard",
        description="argon2id cost of password hashes: standard (t=3, 64 MiB, p=4, "
        "RFC 9106's second recommendation) or minimum (t=2, 19 MiB, p=1, OWASP's floor; "
        "for small machines and the tests). Existing hashes verify either way.",
    )
    # Auth area (issue 11): sign-in, registration and join-code throttling.
    login_max_failures: int = Field(
        5, description="Sign-in attempts per address per window before back-off starts."
    )
    login_max_attempts_per_client: int = Field(
        100,
        description="Sign-in attempts (right or wrong, any account) per client address per "
        "window before back-off starts.",
    )
    login_window_seconds: int = Field(900, description="Window for sign-in attempt counting.")
    throttle_backoff_seconds: int = Field(
        30, description="First back-off delay past a limit; it doubles with each attempt."
    )
    throttle_max_backoff_seconds: int = Field(900, description="Longest back-off delay.")
    register_max_per_client: int = Field(
        10, description="Registrations per client address per register window."
    )
    register_window_seconds: int = Field(3600, description="Window for registration counting.")
    join_max_attempts: int = Field(
        10, description="Join-code attempts per account per join window before back-off."
    )
    join_max_attempts_per_client: int = Field(
        30, description="Join-code attempts per client address per join window before back-off."
    )
    join_window_seconds: int = Field(3600, description="Window for join-code attempt counting.")
    join_code_days: int = Field(14, description="How long a class or team join code works.")
    # Reports (issue 15, moderation): how many reports one account may send.
    report_max_per_window: int = Field(
        20, description="Reports one account may send per report window before back-off."
    )
    report_window_seconds: int = Field(3600, description="Window for report counting.")
    # Pupils (issue 15): one-time sign-in codes of a class roster.
    pupil_code_days: int = Field(
        14, description="How long a pupil's one-time sign-in code (roster slip) works."
    )
    pupil_code_max_attempts_per_client: int = Field(
        20, description="Sign-in code redemptions per client address per join window."
    )
    pupil_roster_max: int = Field(60, description="Pupils per enrolPupils call.")
    session_check_seconds: float = Field(
        30.0,
        description="How often an open WebSocket re-checks that its session is not revoked.",
    )
    session_cache_seconds: float = Field(
        2.0,
        ge=0,
        description="How long a session's role, once read, answers later requests of this "
        "process while it commits no write (0: read it on every request). Changes committed "
        "by another instance are seen within this time.",
    )

    # Document limits (odznaka_graph.limits; README "Limits").
    max_query_depth: int = Field(
        12, description="Deepest nesting of object fields per operation (QUERY_TOO_DEEP)."
    )
    max_aliases: int = Field(
        15, description="Aliases per operation, fragments counted at each use (TOO_MANY_ALIASES)."
    )
    max_tokens: int = Field(2000, description="Tokens per GraphQL document (TOO_MANY_TOKENS).")
    max_query_cost: int = Field(
        20000, description="Cost per operation, pages multiplied (QUERY_TOO_COSTLY)."
    )
    introspection_for_anonymous: bool = Field(
        True, description="Answer __schema/__type to clients that are not signed in."
    )
    max_page_size: int = Field(100, description="Largest first/last.")
    operation_timeout_seconds: float = Field(
        10.0,
        description="Per-operation time limit, HTTP and WebSocket alike (a subscription: its "
        "set-up).",
    )
    # Read planner (issue 13).
    read_planner: bool = Field(
        True,
        description="Answer the reads it knows (profiles, award lists, ...) with one planned "
        "Cypher query each; off: every operation runs field by field.",
    )
    # Transport limits (issue 11): bodies, input lists, sockets; counted per instance.
    max_body_bytes: int = Field(
        1_048_576,
        description="Largest HTTP request body and WebSocket message, in bytes (413 / close "
        "1009 beyond it).",
    )
    max_list_input: int = Field(
        100, description="Items in any list argument or input list (a few fields allow more)."
    )
    max_sockets_per_client: int = Field(
        20, description="Open WebSockets per client address, per instance (close 4429)."
    )
    max_sockets_per_account: int = Field(
        10, description="Open WebSockets per signed-in account, per instance (close 4429)."
    )
    max_subscriptions_per_socket: int = Field(
        20, description="Operations running at once on one WebSocket (TOO_MANY_SUBSCRIPTIONS)."
    )
    outbox_poll_seconds: float = Field(2.0, description="How often the outbox relay retries.")
    # Event handlers (issue 17; effects.py, ledger/handling.py).
    projection_wait_seconds: float = Field(
        5.0,
        ge=0,
        description="How long `Stores.project_soon` (and a commit with answer_first=False) "
        "waits for the projection and handlers; never while Neo4j is known to be away; 0: "
        "never. Writes answer at their commit by default and do not wait for it.",
    )
    # Acknowledgements before the projection (issue 17, helper acks2; services/base.py).
    read_after_write_wait_seconds: float = Field(
        2.0,
        ge=0,
        description="The read fence: how long a graph read made while answering a request "
        "(queries and mutations' answers) waits for the projection of writes this instance "
        "acknowledged before it (read-your-writes); never while Neo4j is known to be away; "
        "0: never.",
    )
    # Request reads from Neo4j (issue 17, helper writes; graph_model/driver.py).
    graph_read_timeout_seconds: float = Field(
        5.0,
        ge=0,
        description="How long a graph read made while answering a request may take before "
        "the request gets SERVICE_UNAVAILABLE (a paused Neo4j answers nothing); 0: no limit.",
    )
    handler_lease_seconds: float = Field(
        60.0,
        gt=0,
        description="How long a claim on an event lasts before another worker may "
        "take it (a handler that crashed or hangs).",
    )
    handler_park_after: int = Field(
        5,
        ge=1,
        description="Failures after which an event is parked for a handler (or for "
        "the graph): later events pass it, and it is retried with back-off up to an hour.",
    )
    handler_done_retention_days: float = Field(
        7.0,
        gt=0,
        description="How long the record that a handler finished an event is kept; older "
        "ones are purged in batches by the relay's sweep (never redone).",
    )
    catch_up_max_per_minute: int = Field(
        20,
        ge=1,
        description="Live catch-ups (subscriptions with `since`) per account per minute, "
        "shared through Redis when REDIS_URL is set (else per instance); more get "
        "RATE_LIMITED with retryAfterSeconds.",
    )
    crash_after_projecting: str | None = Field(
        None,
        description="Tests only: the process kills itself (SIGKILL) right after "
        "projecting an event of this topic, before its handlers ran.",
    )
    # GraphiQL served from the API (issue 11, section 4).
    graphiql_dir: Path = Field(
        PROJECT_ROOT / "web" / "graphiql" / "node_modules",
        description="Where `make graphiql` installed GraphiQL's files (npm ci in web/graphiql).",
    )
    # Persisted and trusted documents (issue 13; odznaka_graph.persisted_documents).
    trusted_documents_manifest: Path | None = Field(
        None,
        description="JSON manifest of known documents, sha256 hex -> text (Relay, GraphQL "
        "Codegen or Apollo persisted query manifest); each hash is checked at start-up.",
    )
    trusted_documents_only: bool = Field(
        False,
        description="Run only the manifest's documents (sent by text or hash); any other is "
        "refused with DOCUMENT_NOT_TRUSTED and automatic persisted queries register nothing.",
    )
    persisted_queries_cache_chars: int = Field(
        4_000_000,
        description="Characters of documents registered by automatic persisted queries kept "
        "per instance, least recently used dropped first; 0 registers none.",
    )
    # Mail (issue 14; mail_worker.py, README "Mail").
    smtp_url: str | None = Field(
        None,
        description="SMTP relay: smtp://[user:password@]host[:port] (STARTTLS when offered; "
        "?starttls=required insists on it) or smtps://... (TLS from the start); unset: "
        "`serve` starts a local development SMTP server that keeps what it receives.",
    )
    mail_from: str = Field(
        "Odznaka+ <no-reply@odznaka.localhost>", description="From address of outgoing mail."
    )
    mail_reply_to: str | None = Field(None, description="Reply-To of outgoing mail; unset: none.")
    mail_poll_seconds: float = Field(
        2.0, description="How often the mail worker looks for messages that are due."
    )
    mail_retry_seconds: float = Field(
        30.0, description="First delay before a failed message is tried again; it doubles."
    )
    mail_max_retry_seconds: float = Field(
        1800.0, description="Longest delay between two attempts to send a message."
    )
    mail_give_up_seconds: float = Field(
        172_800.0,
        description="How long after it was queued a message is still tried; then it is "
        'marked FAILED with its last error (odznaka_mail_messages{status="FAILED"}).',
    )
    mail_timeout_seconds: float = Field(
        30.0, description="Time limit of one SMTP conversation (connect, send, quit)."
    )
    dev_mailbox: bool = Field(
        False,
        description="Development only: serve /dev/mailbox, the messages the local "
        "development SMTP server received (`make run` turns it on).",
    )
    dev_smtp_port: int = Field(
        8025, description="Port of the local development SMTP server (when SMTP_URL is unset)."
    )
    password_reset_max_per_address: int = Field(
        3, description="Password reset mails per address per reset window."
    )
    password_reset_window_seconds: int = Field(
        3600, description="Window for counting password reset requests."
    )
    password_reset_attempts_per_client: int = Field(
        20,
        description="resetPassword attempts (right or wrong token) per client address per "
        "reset window.",
    )
    # Account lifecycle, issue 14 (services/data_export.py).
    account_deletion_grace_days: int = Field(
        14,
        description="Days between deleteMyAccount and the erasure of the account's personal "
        "data; signing in meanwhile cancels it.",
    )
    data_export_max_per_day: int = Field(
        3,
        description="Personal data archives (exportMyData) per account per day; each new "
        "one replaces the last, whose link stops working.",
    )
    demo_data: bool = Field(False, description="Load demo data at start-up when empty.")
    log_level: str = Field("INFO", description="Root log level.")
    public_base_url: str = Field(
        "",
        description="Public address of this API, used in credential ids, links and QR codes; "
        "unset: http://HOST:PORT.",
    )
    import_allow_loopback: bool = Field(
        False,
        description="Let credential import fetch http:// from loopback hosts (tests only; "
        "otherwise only https:// to public addresses).",
    )
    contact_email: str | None = Field(
        None, description="Contact e-mail given in Open Badges 2.0 issuer profiles."
    )
    credential_keys_secret: SecretStr = Field(
        SecretStr(""),  # replaced by _installation_secrets
        description="Seals issuers' private signing keys in the SQL store (at least 32 "
        "bytes); unset: a random one made on first start and kept in "
        "VAR_DIR/secrets/credential_keys_secret. Keep it: keys sealed with another secret "
        "cannot be opened.",
    )
    # Wallet issuance, OpenID4VCI (issue 16).
    wallet_offer_seconds: int = Field(
        600, description="How long a credential offer (its QR code and transaction code) works."
    )
    wallet_token_seconds: int = Field(
        300, description="How long a wallet's access token from a redeemed offer works."
    )
    wallet_nonce_seconds: int = Field(
        300, description="How long a key-proof nonce (c_nonce) from the nonce endpoint works."
    )
    wallet_tx_code_attempts: int = Field(
        5, description="Wrong transaction codes an offer takes before it stops working."
    )
    wallet_proof_max_age_seconds: int = Field(
        300, description="How old (by its iat) a wallet's key-proof JWT may be."
    )
    # Wallet presentations, OpenID4VP (issue 16).
    wallet_presentation_seconds: int = Field(
        300,
        description="How long a presentation request (wallet sign-in, door check) can be "
        "fetched and answered; its key-binding JWT may be as old as this too.",
    )
    wallet_sign_in_max_per_client: int = Field(
        60, description="Wallet sign-in requests one client address may make per hour."
    )
    # Uploads (issue 15): badge pictures and badge-request evidence, served by the API.
    image_max_bytes: int = Field(
        524_288,
        description="Largest uploaded badge picture (PNG, JPEG, SVG), in bytes (at most "
        "MAX_BODY_BYTES, which refuses a larger body first).",
    )
    image_max_side: int = Field(
        2048,
        description="Widest and tallest PNG or JPEG accepted, in pixels; checked from the "
        "header before decoding (a decompression bomb is refused unread).",
    )
    image_svg_render_side: int = Field(
        512, description="An uploaded SVG is rasterised to a PNG fitting this square, in pixels."
    )
    evidence_max_bytes: int = Field(
        1_000_000,
        description="Largest file attached to a badge request (a picture or a PDF), in bytes.",
    )
    uploads_max_per_day: int = Field(
        50, description="Files (pictures and evidence) one account may upload per 24 hours."
    )

    @model_validator(mode="before")
    @classmethod
    def _installation_secrets(cls, data: Any) -> Any:
        """Auth area (issue 11): no known secrets; unset ones are made per installation."""
        if not isinstance(data, dict):
            return data
        var_dir = Path(data.get("var_dir") or PROJECT_ROOT / "var")
        for name in ("jwt_secret", "credential_keys_secret"):
            given = data.get(name)
            if isinstance(given, SecretStr):
                given = given.get_secret_value()
            data[name] = SecretStr(
                check(name.upper(), str(given)) if given else installation_secret(var_dir, name)
            )
        return data

    @model_validator(mode="after")
    def _default_public_base_url(self) -> "Settings":
        if not self.public_base_url:
            self.public_base_url = f"http://{self.host}:{self.port}"
        return self

    @property
    def sql_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.var_dir / 'odznaka.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
