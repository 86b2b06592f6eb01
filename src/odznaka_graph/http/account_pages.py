"""The pages mail links open (issue 14): confirm an address, set a new password, and the
one-click unsubscribe (RFC 8058). A GET only shows a form, so a mail scanner that fetches
the link changes nothing; the form's POST does the work."""

import html
import secrets
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from odznaka_graph.errors import DomainError
from odznaka_graph.services.registry import Services

STYLE = "<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;}</style>"


def _services(request: Request) -> Services:
    services: Services = request.app.state.runtime.services
    return services


def _page(title: str, body: str, status: int = 200, script: str = "") -> HTMLResponse:
    """No page here loads anything from elsewhere or sends a Referer (their links carry
    tokens); a script, when there is one, is the only one that runs."""
    nonce = secrets.token_urlsafe(16)
    code = f"<script nonce='{nonce}'>{script}</script>" if script else ""
    head = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{STYLE}"
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": policy,
        "Cache-Control": "no-store",
    }
    html_text = f"{head}</head><body><h1>{title}</h1>{body}{code}</body></html>"
    return HTMLResponse(html_text, status, headers=headers)


async def _form(request: Request) -> dict[str, str]:
    fields = parse_qs((await request.body()).decode("utf-8", "replace"))
    return {name: values[0] for name, values in fields.items()}


def _hidden(name: str, value: str) -> str:
    return f"<input type='hidden' name='{name}' value='{html.escape(value, quote=True)}'>"


async def verify_email(request: Request) -> Response:
    if request.method == "GET":
        token = request.query_params.get("token", "")
        button = "<button>Potwierdź / Confirm</button>"
        form = f"<form method='post'>{_hidden('token', token)}{button}</form>"
        return _page("Potwierdź adres / Confirm your address", form)
    try:
        email = await _services(request).accounts.verify_email(
            (await _form(request)).get("token", "")
        )
    except DomainError as error:
        return _page("Nie udało się / It did not work", f"<p>{html.escape(error.message)}</p>", 400)
    return _page("Adres potwierdzony / Address confirmed", f"<p>{html.escape(email)}</p>")


async def reset_password(request: Request) -> Response:
    token = request.query_params.get("token", "")
    if request.method == "GET" and token:
        form = (
            f"<form method='post'>{_hidden('token', token)}"
            "<label>Nowe hasło / New password <input type='password' name='password' "
            "minlength='10' required></label> <button>Zapisz / Save</button></form>"
        )
        return _page("Ustaw nowe hasło / Set a new password", form)
    if request.method == "GET":
        form = (
            "<form method='post'><label>E-mail <input type='email' name='email' required>"
            "</label> <button>Wyślij link / Send a link</button></form>"
        )
        return _page("Nie pamiętasz hasła? / Forgot your password?", form)
    fields = await _form(request)
    lifecycle = _services(request).lifecycle
    client = request.client.host if request.client else None
    try:
        if "token" in fields:
            await lifecycle.reset_password(fields["token"], fields.get("password", ""), client)
            return _page("Hasło zmienione / Password changed", "<p>OK</p>")
        await lifecycle.request_password_reset(fields.get("email", ""), client)
    except DomainError as error:
        return _page("Nie udało się / It did not work", f"<p>{html.escape(error.message)}</p>", 400)
    return _page("Sprawdź pocztę / Check your mail", "<p>OK</p>")


async def unsubscribe(request: Request) -> Response:
    """RFC 8058: a POST to the link (body List-Unsubscribe=One-Click) turns the kind off."""
    query = request.query_params
    if request.method == "GET":
        form = "<form method='post'><button>Wypisz mnie / Unsubscribe me</button></form>"
        return _page("Wypisać się? / Unsubscribe?", form)
    service = _services(request).mail_preferences
    done = await service.unsubscribe(query.get("a", ""), query.get("k", ""), query.get("s", ""))
    if not done:
        return _page("Nieważny link / Invalid link", "", 400)
    return _page("Wypisano / Unsubscribed", "<p>OK</p>")


# The mailed link is /account/export#<id>.<token>: the fragment never reaches the server (so
# no access log, proxy or Referer holds it); this fills the form from it and forgets it.
FROM_FRAGMENT = (
    "const [i,t]=location.hash.slice(1).split('.');"
    "if(i&&t){document.getElementById('i').value=i;document.getElementById('t').value=t;"
    "history.replaceState(null,'',location.pathname);}"
)
EXPORT_FORM = (
    "<form method='post'><input type='hidden' id='i' name='id'>"
    "<label>Token <input id='t' name='token' autocomplete='off' required></label> "
    "<button>Pobierz / Download</button></form>"
    "<p>Link działa raz. / The link works once.</p>"
)


async def export(request: Request) -> Response:
    """The personal data archive: GET shows the form, its POST (id and token, from the
    mailed link's fragment) hands the archive out once."""
    if request.method == "GET":
        return _page("Twoje dane / Your data", EXPORT_FORM, script=FROM_FRAGMENT)
    fields = await _form(request)
    service = _services(request).data_export
    content = await service.download(fields.get("id", ""), fields.get("token", ""))
    if content is None:
        return _page("Nieważny link / Invalid link", "", 404)
    disposition = 'attachment; filename="odznaka-my-data.json"'
    headers = {
        "Content-Disposition": disposition,
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }
    return Response(content, media_type="application/json", headers=headers)


# The merge mail's link is /account/merge#<token> (the fragment, as for the export).
MERGE_FORM = (
    "<form method='post'><input type='hidden' id='t' name='token'>"
    "<label>Hasło konta, które zostaje / Password of the account you keep "
    "<input type='password' name='password' required></label> "
    "<button>Połącz / Merge</button></form>"
)
TOKEN_FROM_FRAGMENT = (
    "const t=location.hash.slice(1);"
    "if(t){document.getElementById('t').value=t;history.replaceState(null,'',location.pathname);}"
)


async def merge(request: Request) -> Response:
    """Merge another account into the one the address was added to (services/account_merges)."""
    if request.method == "GET":
        return _page("Połącz konta / Merge accounts", MERGE_FORM, script=TOKEN_FROM_FRAGMENT)
    fields = await _form(request)
    service = _services(request).merges
    try:
        merged = await service.merge_with_password(
            fields.get("token", ""), fields.get("password", "")
        )
    except DomainError as error:
        return _page("Nie udało się / It did not work", f"<p>{html.escape(error.message)}</p>", 400)
    body = f"<p>{html.escape(merged.email)}: {merged.moved_awards}</p>"
    return _page("Konta połączone / Accounts merged", body)


ROUTES = [
    Route("/account/merge", merge, methods=["GET", "POST"]),
    Route("/account/export", export, methods=["GET", "POST"]),
    Route("/account/verify-email", verify_email, methods=["GET", "POST"]),
    Route("/account/reset-password", reset_password, methods=["GET", "POST"]),
    Route("/mail/unsubscribe", unsubscribe, methods=["GET", "POST"]),
]
