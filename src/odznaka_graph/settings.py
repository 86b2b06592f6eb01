"""Settings from the environment or `.env`; every field is listed in the README."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
        SecretStr("dev-only-secret-change-me-in-production-please"),
        description="HMAC key for access tokens.",
    )
    access_token_minutes: int = Field(15, description="Access token lifetime.")
    refresh_token_days: int = Field(30, description="Refresh token lifetime.")
    reviewer_emails: list[str] = Field(
        default_factory=list, description="E-mails that get the platform reviewer role."
    )
    login_max_failures: int = Field(5, description="Failed logins allowed per window.")
    login_window_seconds: int = Field(900, description="Window for failed-login counting.")

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
    operation_timeout_seconds: float = Field(10.0, description="Per-operation time limit.")
    outbox_poll_seconds: float = Field(2.0, description="How often the outbox relay retries.")
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
        SecretStr("dev-only-credential-keys-secret-change-me"),
        description="Seals issuers' private signing keys in the SQL store: set it in "
        "production and keep it (keys sealed with another secret cannot be opened).",
    )

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
