"""Secrets of one installation: set by the operator, or made once on first start and kept
under VAR_DIR (mode 0600). Known or short secrets are refused, so no install runs with a
value printed in the source (anyone could forge tokens with it)."""

import os
import secrets
from pathlib import Path

MIN_BYTES = 32
# The defaults printed in earlier versions, and values people type when asked for one.
KNOWN = frozenset(
    {
        "dev-only-secret-change-me-in-production-please",
        "dev-only-credential-keys-secret-change-me",
        "secret",
        "changeme",
        "change-me",
        "password",
        "jwt-secret",
        "your-secret-key",
        "supersecret",
    }
)


class WeakSecret(RuntimeError):
    """A configured secret anyone could guess: the server refuses to start with it."""


def check(name: str, value: str) -> str:
    """The value, if it is long, unknown and not a run of one or two characters."""
    if value.strip().lower() in KNOWN:
        raise WeakSecret(f"{name} is a published default; set a random value or unset it.")
    if len(value.encode()) < MIN_BYTES:
        raise WeakSecret(f"{name} is shorter than {MIN_BYTES} bytes; use a random value.")
    if len(set(value)) < 8:
        raise WeakSecret(f"{name} repeats too few characters to be random.")
    return value


def installation_secret(var_dir: Path, name: str) -> str:
    """The secret kept in VAR_DIR/secrets/<name>, made on first use (atomically: two
    processes starting at once end up with the same one)."""
    folder = var_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / name
    if not path.exists():
        _create(path, secrets.token_urlsafe(48))
    return check(f"{path}", path.read_text().strip())


def _create(path: Path, value: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails when another process made it first: keep theirs
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
