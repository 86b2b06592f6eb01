"""Pupils' rows: the roster a teacher enrolled, one-time sign-in codes (hashed) and
guardians' consents."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import (
    accounts,
    guardian_consents,
    pupil_codes,
    pupils,
    registered_age_bands,
)

Row = sa.Row[Any]


@dataclass(frozen=True)
class NewPupil:
    account_id: str
    team_id: str
    name: str
    shown_name: str
    age_band: str
    enrolled_by: str


async def insert_pupils(
    conn: AsyncConnection,
    rows: Sequence[NewPupil],
    handles: dict[str, str],
    password_hash: str,
    at: datetime,
) -> None:
    """The pupils' accounts (`handles`: account id -> handle) and roster rows, one
    statement each whatever the class's size."""
    accounts_rows = [
        {"id": row.account_id, "handle": handles[row.account_id], "created_at": at}
        | {"password_hash": password_hash}
        for row in rows
    ]
    await conn.execute(accounts.insert(), accounts_rows)
    await conn.execute(pupils.insert(), [vars(row) | {"created_at": at} for row in rows])


async def insert_codes(
    conn: AsyncConnection, hashes: dict[str, str], at: datetime, expires_at: datetime
) -> None:
    """`hashes`: account id -> the hash of its new code; earlier unused codes stop working."""
    c = pupil_codes.c
    unused = c.account_id.in_(list(hashes)) & c.used_at.is_(None)
    await conn.execute(pupil_codes.delete().where(unused))
    values = [
        {"code_hash": h, "account_id": a, "created_at": at, "expires_at": expires_at}
        for a, h in hashes.items()
    ]
    await conn.execute(pupil_codes.insert(), values)


async def use_code(conn: AsyncConnection, code_hash: str, at: datetime) -> str | None:
    """Spend a live code: its account id, or None when it is unknown, used or expired."""
    c = pupil_codes.c
    result = await conn.execute(
        pupil_codes.update()
        .where(c.code_hash == code_hash, c.used_at.is_(None), c.expires_at > at)
        .values(used_at=at)
        .returning(c.account_id)
    )
    row = result.first()
    return str(row.account_id) if row else None


async def code(conn: AsyncConnection, code_hash: str) -> Row | None:
    result = await conn.execute(sa.select(pupil_codes).where(pupil_codes.c.code_hash == code_hash))
    return result.first()


async def signed_in(conn: AsyncConnection, account_id: str, at: datetime) -> None:
    p = pupils.c
    await conn.execute(
        pupils.update()
        .where(p.account_id == account_id, p.signed_in_at.is_(None))
        .values(signed_in_at=at)
    )


async def pupil(conn: AsyncConnection, account_id: str) -> Row | None:
    result = await conn.execute(sa.select(pupils).where(pupils.c.account_id == account_id))
    return result.first()


async def record_age_band(conn: AsyncConnection, account_id: str, band: str, at: datetime) -> None:
    """The age band someone gave when registering themselves."""
    values = {"account_id": account_id, "age_band": band, "recorded_at": at}
    await conn.execute(registered_age_bands.insert().values(values))


async def age_band(conn: AsyncConnection, account_id: str) -> str | None:
    """The band recorded at enrolment (a pupil), else the one given at registration."""
    p, r = pupils.c, registered_age_bands.c
    enrolled = sa.select(p.age_band).where(p.account_id == account_id)
    given = sa.select(r.age_band).where(r.account_id == account_id)
    result = await conn.execute(sa.union_all(enrolled, given))
    found = result.first()
    return str(found[0]) if found else None


async def roster(conn: AsyncConnection, team_id: str, account_ids: Sequence[str] = ()) -> list[Row]:
    """The pupils enrolled in a class with their handles, by name (only `account_ids`,
    when given)."""
    query = (
        sa.select(pupils, accounts.c.handle)
        .join(accounts, accounts.c.id == pupils.c.account_id)
        .where(pupils.c.team_id == team_id, pupils.c.removed_at.is_(None))
    )
    if account_ids:
        query = query.where(pupils.c.account_id.in_(list(account_ids)))
    result = await conn.execute(query.order_by(pupils.c.name, pupils.c.account_id))
    return list(result)


async def remove_from_roster(
    conn: AsyncConnection, team_id: str, account_id: str, at: datetime
) -> None:
    """Taken out of their class: off its roster, and their unused codes stop working."""
    p, c = pupils.c, pupil_codes.c
    await conn.execute(
        pupils.update()
        .where(p.team_id == team_id, p.account_id == account_id, p.removed_at.is_(None))
        .values(removed_at=at)
    )
    await conn.execute(pupil_codes.delete().where(c.account_id == account_id, c.used_at.is_(None)))


# --- guardians' consent ---------------------------------------------------------------


async def request_consent(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(guardian_consents.insert().values(**values))


async def consent_by_token(conn: AsyncConnection, token_hash: str) -> Row | None:
    g = guardian_consents.c
    result = await conn.execute(sa.select(guardian_consents).where(g.token_hash == token_hash))
    return result.first()


async def set_consent(conn: AsyncConnection, consent_id: str, **values: datetime | None) -> None:
    g = guardian_consents.c
    await conn.execute(guardian_consents.update().where(g.id == consent_id).values(**values))


async def consent_given(conn: AsyncConnection, account_id: str) -> Row | None:
    """The consent in force for the pupil (granted, not withdrawn), if any."""
    g = guardian_consents.c
    result = await conn.execute(
        sa.select(guardian_consents)
        .where(g.account_id == account_id, g.granted_at.is_not(None), g.revoked_at.is_(None))
        .order_by(g.granted_at.desc())
        .limit(1)
    )
    return result.first()


async def account_by_handle(conn: AsyncConnection, handle: str) -> Row | None:
    """A pupil's account by its handle (pupils have no address to sign in with)."""
    result = await conn.execute(
        sa.select(accounts)
        .join(pupils, pupils.c.account_id == accounts.c.id)
        .where(accounts.c.handle == handle)
    )
    return result.first()
