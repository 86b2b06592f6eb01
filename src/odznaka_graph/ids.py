"""Entity ids (UUIDs) and the opaque global ids clients see."""

import base64
import binascii
import uuid


def new_id() -> str:
    return str(uuid.uuid4())


def to_global(type_name: str, local_id: str) -> str:
    raw = f"{type_name}:{local_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def from_global(global_id: str) -> tuple[str, str] | None:
    """Return (type name, local id), or None when the id is not one of ours."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, local_id = base64.urlsafe_b64decode(padded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (type_name, local_id) if type_name and local_id else None


def local_id(global_id: str, expected_type: str) -> str | None:
    decoded = from_global(global_id)
    if decoded is None or decoded[0] != expected_type:
        return None
    return decoded[1]
