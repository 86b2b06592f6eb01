"""Issuers' keys in the ledger: created on first use (one Ed25519 and one P-256 key per
issuer), rotated on request, private halves sealed with CREDENTIAL_KEYS_SECRET."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.credentials import keys
from odznaka_graph.credentials.did import did_for
from odznaka_graph.credentials.keys import KeyKind, PublicKey
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import signed_credentials as store
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.settings import Settings


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public: PublicKey
    private: Any
    method_id: str


def public_key(row: Any) -> PublicKey:
    return PublicKey(KeyKind(row.kind), row.public_key, row.created_at, row.retired_at)


async def public_keys(conn: AsyncConnection, issuer_id: str) -> list[PublicKey]:
    return [public_key(row) for row in await store.keys_of(conn, issuer_id)]


async def signing_key(
    ledger: Ledger, settings: Settings, issuer_id: str, kind: KeyKind
) -> SigningKey:
    """The issuer's current key of this kind, made (with its sibling) on first use."""
    row = await _current(ledger, issuer_id, kind)
    if row is None:
        try:
            async with ledger.transaction() as conn:
                await add_keys(conn, settings, issuer_id, now())
        except IntegrityError:
            pass  # a concurrent request made them first
        row = await _current(ledger, issuer_id, kind)
    assert row is not None
    secret = settings.credential_keys_secret.get_secret_value()
    private = keys.load_private(keys.unseal(secret, row.id, row.private_key))
    public = public_key(row)
    method_id = f"{did_for(settings.public_base_url, issuer_id)}#{public.fragment}"
    return SigningKey(row.id, public, private, method_id)


async def _current(ledger: Ledger, issuer_id: str, kind: KeyKind) -> Any:
    async with ledger.reading() as conn:
        rows = await store.keys_of(conn, issuer_id)
    return next((r for r in rows if r.kind == kind and r.retired_at is None), None)


async def add_keys(conn: AsyncConnection, settings: Settings, issuer_id: str, at: datetime) -> None:
    """A fresh current key of each kind (the caller retires the old ones first)."""
    secret = settings.credential_keys_secret.get_secret_value()
    for kind in KeyKind:
        key_id = new_id()
        der, public = keys.generate(kind)
        await store.insert_key(
            conn,
            id=key_id,
            issuer_id=issuer_id,
            kind=kind.value,
            public_key=public,
            private_key=keys.seal(secret, key_id, der),
            created_at=at,
        )


async def rotate(conn: AsyncConnection, settings: Settings, issuer_id: str) -> None:
    """Retire the current keys (they stay in the DID document) and make new ones."""
    at = now()
    await store.retire_keys(conn, issuer_id, at)
    await add_keys(conn, settings, issuer_id, at)
