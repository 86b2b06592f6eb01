"""/dev/mailbox (development only, DEV_MAILBOX): the messages the development SMTP server
received, newest first, and each one's HTML and plain-text parts, so a person trying the
demo can open the verification link."""

import html
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from odznaka_graph.mail import mailbox

URL = re.compile(r"https?://[^\s<>\"]+")
STYLE = (
    "<style>body{font-family:sans-serif;margin:2rem;}td,th{padding:.3rem .8rem;text-align:left;}"
    "iframe{width:100%;height:32rem;border:1px solid #ccc;}pre{white-space:pre-wrap;}</style>"
)


def _page(title: str, body: str) -> HTMLResponse:
    head = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{STYLE}"
    return HTMLResponse(f"{head}</head><body><h1>{title}</h1>{body}</body></html>")


def routes(store: Path) -> list[Route]:
    """The pages, reading the development SMTP server's store."""

    async def listing(request: Request) -> Response:
        return mailbox_list(store)

    async def one(request: Request) -> Response:
        return mailbox_message(store, int(request.path_params["message_no"]))

    return [Route("/dev/mailbox", listing), Route("/dev/mailbox/{message_no:int}", one)]


def mailbox_list(store: Path) -> Response:
    rows = "".join(
        f"<tr><td>{html.escape(m.received_at[:19])}</td><td>{html.escape(m.rcpt_to)}</td>"
        f"<td><a href='/dev/mailbox/{m.id}'>{html.escape(m.subject)}</a></td></tr>"
        for m in mailbox.messages(store)
    )
    table = f"<table><tr><th>received</th><th>to</th><th>subject</th></tr>{rows}</table>"
    return _page("Development mailbox", table if rows else "<p>No mail yet.</p>")


def _linked(text: str) -> str:
    """Plain text, escaped, with its links made clickable."""
    escaped = html.escape(text)
    return URL.sub(lambda found: f"<a href='{found.group(0)}'>{found.group(0)}</a>", escaped)


def mailbox_message(store: Path, message_no: int) -> Response:
    found = mailbox.message(store, message_no)
    if found is None:
        return _page("No such message", "<p><a href='/dev/mailbox'>Back</a></p>")
    parsed = found.parsed()
    headers = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(value))}</td></tr>"
        for name, value in parsed.items()
        if name in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe")
    )
    body = (
        f"<p><a href='/dev/mailbox'>All messages</a></p><table>{headers}</table>"
        f"<h2>HTML</h2><iframe sandbox='allow-popups allow-top-navigation-by-user-activation' "
        f'srcdoc="{html.escape(found.part("html"))}"></iframe>'
        f"<h2>Plain text</h2><pre>{_linked(found.part('plain'))}</pre>"
    )
    return _page(html.escape(found.subject), body)
