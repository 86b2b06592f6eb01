"""Passwords (argon2, in worker threads), short-lived JWT access tokens and opaque refresh
tokens. An access token names only who signed in and in which session (refresh family):
the role is read from the store on each request, so a token cannot grant one."""

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

COSTS = {
    "standard": PasswordHasher(),
    "minimum": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
}
_hasher = COSTS["standard"]
# A real hash to verify against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def use_password_cost(cost: str) -> None:
    """New hashes at this cost (the PASSWORD_HASH_COST setting), with a dummy hash of the
    same cost, so an unknown address still costs as much as a known one."""
    global _hasher, _DUMMY_HASH
    if COSTS[cost] is not _hasher:
        _hasher = COSTS[cost]
        _DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the signed-in account, or anonymous (id None)."""

    id: str | None = None
    role: str = "ANONYMOUS"
    session: str | None = None  # the refresh family the access token belongs to

    @property
    def signed_in(self) -> bool:
        return self.id is not None

    @property
    def is_reviewer(self) -> bool:
        return self.role == "REVIEWER"


ANONYMOUS = Viewer()


@dataclass(frozen=True)
class Claims:
    """What a valid access token says: the account and its session (refresh family)."""

    account_id: str
    session: str
    expires_at: datetime


def _hash(password: str) -> str:
    return _hasher.hash(password)


def _matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    """argon2 costs ~100 ms of CPU: done in a worker thread, never on the event loop."""
    return await asyncio.to_thread(_hash, password)


async def password_matches(password_hash: str | None, password: str) -> bool:
    """Always one full verification (against a dummy hash for unknown accounts), in a
    worker thread, so neither the answer's timing nor the event loop tells anything."""
    return await asyncio.to_thread(_matches, password_hash, password)


def hash_password_now(password: str) -> str:
    """For scripts without an event loop (bench data generation)."""
    return _hash(password)


def issue_access_token(secret: str, account_id: str, session: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": account_id,
        "fam": session,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def read_access_token(secret: str, token: str) -> Claims | None:
    """The token's claims when its signature and lifetime hold; any role claim is ignored."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "iat", "sub", "fam"]}
        )
    except jwt.PyJWTError:
        return None
    expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
    return Claims(str(claims["sub"]), str(claims["fam"]), expires)


@dataclass(frozen=True)
class Refusal:
    """Why an access token opens no session: a stable code and a message for people."""

    code: str  # TOKEN_EXPIRED or UNAUTHENTICATED
    message: str

    @property
    def close_reason(self) -> str:
        """A WebSocket close reason (at most 123 bytes), starting with the code."""
        return f"{self.code}: {self.message}"[:123]


def refusal(secret: str, token: str) -> Refusal:
    """Why `token`, which opened no session, was refused: expired, not ours, or ended."""
    try:
        jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        return Refusal("TOKEN_EXPIRED", "The access token has expired; refresh it.")
    except jwt.PyJWTError:
        return Refusal("UNAUTHENTICATED", "The access token is not valid; sign in again.")
    return Refusal("UNAUTHENTICATED", "The session has ended; sign in again.")


def new_secret_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None for any other."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:]
    return None
