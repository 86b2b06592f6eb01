"""What the development SMTP server received, kept in a SQLite file (under VAR_DIR): the
development server writes it, /dev/mailbox and the tests read it."""

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS received (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "received_at TEXT NOT NULL, mail_from TEXT NOT NULL, rcpt_to TEXT NOT NULL, "
    "message_id TEXT, subject TEXT, raw BLOB NOT NULL)"
)


@dataclass(frozen=True)
class Received:
    id: int
    received_at: str
    mail_from: str
    rcpt_to: str
    message_id: str
    subject: str
    raw: bytes

    def parsed(self) -> EmailMessage:
        found = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(found, EmailMessage)
        return found

    def part(self, subtype: str) -> str:
        body = self.parsed().get_body(preferencelist=(subtype,))
        return str(body.get_content()) if body is not None else ""


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(SCHEMA)
    return conn


def store(conn: sqlite3.Connection, mail_from: str, rcpt_to: list[str], raw: bytes) -> None:
    parsed = message_from_bytes(raw, policy=policy.default)
    with conn:
        conn.execute(
            "INSERT INTO received (received_at, mail_from, rcpt_to, message_id, subject, raw) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(),
                mail_from,
                ", ".join(rcpt_to),
                str(parsed.get("Message-ID", "")),
                str(parsed.get("Subject", "")),
                raw,
            ),
        )


def _received(row: tuple[object, ...]) -> Received:
    id_, at, sender, to, message_id, subject, raw = row
    return Received(
        int(str(id_)),
        str(at),
        str(sender),
        str(to),
        str(message_id),
        str(subject),
        bytes(raw),  # type: ignore[call-overload]
    )


def messages(path: Path, limit: int = 200) -> list[Received]:
    """The newest first."""
    with connect(path) as conn:
        rows = conn.execute("SELECT * FROM received ORDER BY id DESC LIMIT ?", (limit,))
        return [_received(row) for row in rows]


def message(path: Path, message_no: int) -> Received | None:
    with connect(path) as conn:
        row = conn.execute("SELECT * FROM received WHERE id = ?", (message_no,)).fetchone()
    return _received(row) if row else None
