"""The secret a queued mail carries (a verification, reset, merge or download token) is
encrypted while the message waits in the SQL store (AES-256-GCM, a key derived from
CREDENTIAL_KEYS_SECRET), so a copy of the store holds no usable
link; only the mail worker opens it, just before it renders the mail. The key reaches the
queue through the store connection (`attach`): every command that queues mail runs in a
transaction of the runtime's engine."""

import base64
import os
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from odznaka_graph.ledger.mail import SECRETS

VERSION = "sealed-v1:"
_KEY = "odznaka.mail_key"


class NoMailKey(RuntimeError):
    """Mail with a secret was queued on a connection without the sealing key."""


def mail_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"odznaka mail secrets v1")
    return hkdf.derive(secret.encode())


def attach(engine: AsyncEngine, secret: str) -> None:
    """Every connection of the engine carries the key (set as each one is opened)."""
    key = mail_key(secret)

    def remember(_dbapi_connection: Any, record: Any) -> None:
        record.info[_KEY] = key

    sa.event.listen(engine.sync_engine, "connect", remember)


def seal(conn: AsyncConnection, data: dict[str, Any]) -> dict[str, Any]:
    """The data with its secrets encrypted."""
    if not SECRETS & data.keys():
        return data
    key = conn.info.get(_KEY)
    if key is None:
        raise NoMailKey("mail with a secret needs the runtime's store (mail/sealing.attach)")
    sealed = dict(data)
    for name in SECRETS & data.keys():
        nonce = os.urandom(12)
        box = AESGCM(key).encrypt(nonce, str(data[name]).encode(), name.encode())
        sealed[name] = VERSION + base64.urlsafe_b64encode(nonce + box).decode()
    return sealed


def unseal(key: bytes, data: dict[str, Any]) -> dict[str, Any]:
    """The data with its secrets readable again (values queued before sealing pass as
    they are)."""
    opened = dict(data)
    for name in SECRETS & data.keys():
        value = str(data[name])
        if value.startswith(VERSION):
            raw = base64.urlsafe_b64decode(value.removeprefix(VERSION))
            opened[name] = AESGCM(key).decrypt(raw[:12], raw[12:], name.encode()).decode()
    return opened
