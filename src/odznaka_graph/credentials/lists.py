"""Each issuer's revocation lists: a random slot per credential, allocated once, and the
signed list credential, re-signed whenever the set of revoked awards behind it changed.

The list is derived from the awards ledger when it is read, so a revocation (by either
revoke flow) shows in the very next copy served: there is no second place to update."""

import asyncio
import hashlib
import json
import secrets

from sqlalchemy.exc import IntegrityError

from odznaka_graph.clock import now
from odznaka_graph.credentials import status
from odznaka_graph.credentials.did import did_for
from odznaka_graph.credentials.keyring import signing_key
from odznaka_graph.credentials.keys import KeyKind
from odznaka_graph.credentials.signing import add_data_integrity_proof, xsd_datetime
from odznaka_graph.ledger import signed_credentials as store
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.settings import Settings

# Entries per list before the next list starts: with 3/4 of the slots free at most, a
# random slot is found in a few tries.
LIST_CAPACITY = status.LIST_BITS // 4
ATTEMPTS = 20


async def allocate(ledger: Ledger, issuer_id: str, award_id: str) -> tuple[int, int]:
    """(list number, index) of the award's entry; the same answer every time."""
    for _ in range(ATTEMPTS):
        async with ledger.reading() as conn:
            found = await store.status_entry(conn, award_id)
            if found is not None:
                return found.list_no, found.list_index
            list_no = await store.entry_count(conn, issuer_id) // LIST_CAPACITY
        index = secrets.randbelow(status.LIST_BITS)
        try:
            async with ledger.transaction() as conn:
                await store.insert_status_entry(
                    conn, award_id=award_id, issuer_id=issuer_id, list_no=list_no, list_index=index
                )
            return list_no, index
        except IntegrityError:
            continue  # the slot was taken, or a concurrent export allocated this award
    raise RuntimeError("no free status list slot found")


async def list_document(
    ledger: Ledger, settings: Settings, issuer_id: str, list_no: int
) -> str | None:
    """The signed status list credential as served, or None for a list that has no entry."""
    async with ledger.reading() as conn:
        if not await store.list_exists(conn, issuer_id, list_no):
            return None
        revoked = await store.revoked_indexes(conn, issuer_id, list_no)
        stored = await store.status_list(conn, issuer_id, list_no)
    digest = hashlib.sha256(",".join(map(str, revoked)).encode()).hexdigest()
    if stored is not None and stored.revoked_digest == digest:
        return str(stored.document)
    text = await _signed_list(ledger, settings, issuer_id, list_no, revoked)
    try:
        async with ledger.transaction() as conn:
            await store.put_status_list(conn, issuer_id, list_no, digest, text, now())
    except IntegrityError:
        pass  # a concurrent reader stored the same list first; ours is as good
    return text


async def _signed_list(
    ledger: Ledger, settings: Settings, issuer_id: str, list_no: int, revoked: list[int]
) -> str:
    base = settings.public_base_url
    key = await signing_key(ledger, settings, issuer_id, KeyKind.ED25519)
    at = now()
    unsigned = status.list_credential(
        status.list_url(base, issuer_id, list_no),
        did_for(base, issuer_id),
        xsd_datetime(at),
        revoked,
    )
    signed = await asyncio.to_thread(
        add_data_integrity_proof, unsigned, key.private, key.method_id, at, {}
    )
    return json.dumps(signed, ensure_ascii=False, indent=2)
