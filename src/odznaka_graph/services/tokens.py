"""Passwords (argon2), short-lived JWT access tokens and opaque refresh tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A real hash to verify against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the signed-in account, or anonymous (id None)."""

    id: str | None = None
    role: str = "ANONYMOUS"

    @property
    def signed_in(self) -> bool:
        return self.id is not None

    @property
    def is_reviewer(self) -> bool:
        return self.role == "REVIEWER"


ANONYMOUS = Viewer()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def issue_access_token(secret: str, account_id: str, role: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": account_id, "role": role, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm="HS256")


def viewer_from_token(secret: str, token: str) -> Viewer | None:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError:
        return None
    return Viewer(id=str(claims["sub"]), role=str(claims.get("role", "USER")))


def new_secret_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
