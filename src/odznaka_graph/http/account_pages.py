"""The pages mail links open (issue 14): confirm an address, set a new password, and the
one-click unsubscribe (RFC 8058). A GET only shows a form, so a mail scanner that fetches
the link changes nothing; the form's POST does the work."""

import html
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


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    head = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{STYLE}"
    return HTMLResponse(f"{head}</head><body><h1>{title}</h1>{body}</body></html>", status)


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
    try:
        if "token" in fields:
            await lifecycle.reset_password(fields["token"], fields.get("password", ""))
            return _page("Hasło zmienione / Password changed", "<p>OK</p>")
        client = request.client.host if request.client else None
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


async def export(request: Request) -> Response:
    """The personal data archive, with the token from the mail (GET: it changes nothing)."""
    query = request.query_params
    service = _services(request).data_export
    content = await service.download(query.get("id", ""), query.get("token", ""))
    if content is None:
        return _page("Nieważny link / Invalid link", "", 404)
    disposition = 'attachment; filename="odznaka-my-data.json"'
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(content, media_type="application/json", headers=headers)


ROUTES = [
    Route("/account/export", export),
    Route("/account/verify-email", verify_email, methods=["GET", "POST"]),
    Route("/account/reset-password", reset_password, methods=["GET", "POST"]),
    Route("/mail/unsubscribe", unsubscribe, methods=["GET", "POST"]),
]
