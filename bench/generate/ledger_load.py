"""The rows the API reads from the SQL ledger for generated data: accounts and e-mail
addresses (sign-in), organisations and their staff (who may award and see drafts), badges
and awards (credential checks, awarding, revoking), and the points each award gave (XP and
leaderboards; streak bonuses are left out). Written to the SQLite file the API uses, in bulk
with plain sqlite3 (the schema comes from the ledger's own Alembic migrations).

Every generated account signs in with BENCH_PASSWORD; e-mails are user<N>@bench.odznaka.pl.
"""

import asyncio
import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from odznaka_graph.ledger.db import Ledger, create_engine
from odznaka_graph.services import points
from odznaka_graph.services.tokens import hash_password_now as hash_password

BENCH_PASSWORD = "odznaka-bench-2026"


def sql_time(moment: datetime | None) -> str | None:
    """How SQLAlchemy stores a DateTime in SQLite (UTC, no zone)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def migrate(path: Path) -> None:
    async def run() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await Ledger(engine).migrate()
        finally:
            await engine.dispose()

    asyncio.run(run())


class LedgerWriter:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        migrate(path)
        self.path = path
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.password_hash = hash_password(BENCH_PASSWORD)
        self.badge_points: dict[str, int] = {}
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master")}
        self.with_points = "point_events" in tables

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def accounts(self, users: list[dict[str, Any]], emails: list[str]) -> None:
        accounts = [(u["id"], u["handle"], self.password_hash, "USER", _at(u)) for u in users]
        self.insert("accounts", ("id", "handle", "password_hash", "role", "created_at"), accounts)
        addresses = [
            (e, u["id"], _at(u), True, _at(u)) for u, e in zip(users, emails, strict=True)
        ]
        # Each user's only address is the one they sign in with.
        columns = ("email", "account_id", "verified_at", "for_sign_in", "created_at")
        self.insert("account_emails", columns, addresses)
        self.conn.commit()

    def organizations(self, orgs: list[dict[str, Any]], staff: list[dict[str, Any]]) -> None:
        owners = {row["org"]: row["user"] for row in staff}
        rows = [_organization(o["props"], owners[o["props"]["id"]]) for o in orgs]
        columns = ("id", "created_by", "agreement_accepted_at", "verification", "created_at")
        self.insert("organizations", columns, rows)
        members = [(row["org"], row["user"], row["role"]) for row in staff]
        self.insert("organization_staff", ("organization_id", "account_id", "role"), members)
        self.conn.commit()

    def badges(self, rows: list[dict[str, Any]], created_by: dict[str, str]) -> None:
        columns = (
            *("id", "organization_id", "club_id", "status", "validity_days", "kind", "content"),
            *("created_by", "created_at", "updated_at"),
        )
        self.insert("badges", columns, [_badge(r, created_by) for r in rows])
        for r in rows:
            kind, content = r["props"]["kind"], r["content"]
            self.badge_points[r["props"]["id"]] = points.credential_points(kind, content)
        self.conn.commit()

    def awards(self, rows: list[dict[str, Any]]) -> None:
        columns = (
            *("id", "badge_id", "recipient_id", "awarded_by", "idempotency_key", "issued_at"),
            *("evidence", "revoked_at", "revoked_by", "revoke_reason"),
        )
        self.insert("awards", columns, [_award(r) for r in rows])
        if self.with_points:
            self._points(rows)
        self.conn.commit()

    def _points(self, awards: list[dict[str, Any]]) -> None:
        """What services.points writes for an award (and for its revocation)."""
        rows = []
        for r in awards:
            amount, award = self.badge_points[r["badge"]], r["id"]
            at = sql_time(r["at"])
            rows.append(
                (f"pe-{award}", r["user"], amount, points.EARNED, f"award:{award}", award, at)
            )
            if r["revokedAt"]:
                key, at = f"award-revoked:{award}", sql_time(r["revokedAt"])
                rows.append((f"pe-r-{award}", r["user"], -amount, points.REVOKED, key, award, at))
        columns = ("id", "account_id", "amount", "reason", "source_key", "source_id", "at")
        self.insert("point_events", columns, rows)

    def close(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


def _at(user: dict[str, Any]) -> str | None:
    return sql_time(user["createdAt"])


def _organization(props: dict[str, Any], owner: str) -> tuple[Any, ...]:
    accepted, created = sql_time(props["agreementAcceptedAt"]), sql_time(props["createdAt"])
    return (props["id"], owner, accepted, "VERIFIED", created)


def _badge(row: dict[str, Any], created_by: dict[str, str]) -> tuple[Any, ...]:
    p = row["props"]
    content = json.dumps(row["content"], ensure_ascii=False)
    return (
        *(p["id"], row.get("org"), row.get("club"), p["status"], None, p["kind"], content),
        *(created_by[p["id"]], sql_time(p["createdAt"]), sql_time(p["updatedAt"])),
    )


def _award(row: dict[str, Any]) -> tuple[Any, ...]:
    revoked = row["revokedAt"]
    reason = "Wycofana przy generowaniu danych." if revoked else None
    return (
        *(row["id"], row["badge"], row["user"], row["by"], row["id"], sql_time(row["at"])),
        *("[]", sql_time(revoked), row["by"] if revoked else None, reason),
    )
