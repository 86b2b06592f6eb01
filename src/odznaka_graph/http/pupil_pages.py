"""The pages a pupil's slip and a guardian's mail open (issue 15). A GET only shows a
form (a mail scanner fetching the link changes nothing); the form's POST does the work."""

import html

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from odznaka_graph.errors import DomainError
from odznaka_graph.http.account_pages import _form, _hidden, _page, _services

FAILED = "Nie udało się / It did not work"


def _failed(error: DomainError) -> Response:
    return _page(FAILED, f"<p>{html.escape(error.message)}</p>", 400)


async def pupil_sign_in(request: Request) -> Response:
    """The slip's QR code: the code filled in; the pupil chooses a password."""
    if request.method == "GET":
        code = html.escape(request.query_params.get("code", ""), quote=True)
        form = (
            "<form method='post'>"
            f"<label>Kod / Code <input name='code' value='{code}' required></label><br>"
            "<label>Hasło / Password <input type='password' name='password' minlength='10' "
            "required></label> <button>Zaloguj / Sign in</button></form>"
        )
        return _page("Pierwsze logowanie / First sign-in", form)
    fields = await _form(request)
    client = request.client.host if request.client else None
    try:
        await _services(request).pupils.redeem(
            {"code": fields.get("code", ""), "password": fields.get("password", "")},
            client,
            request.headers.get("user-agent"),
        )
    except DomainError as error:
        return _failed(error)
    return _page("Gotowe / Done", "<p>Hasło ustawione. / Your password is set.</p>")


async def guardian_consent(request: Request) -> Response:
    """The guardian's one-click link: consent, or withdraw it."""
    token = request.query_params.get("token", "")
    guardians = _services(request).guardians
    try:
        if request.method == "POST":
            fields = await _form(request)
            if fields.get("answer") == "withdraw":
                await guardians.revoke(token)
            else:
                await guardians.grant(token)
        name, granted = await guardians.state(token)
    except DomainError as error:
        return _failed(error)
    who = html.escape(name)
    if granted:
        state = f"<p>Zgoda udzielona dla: {who}. / Consent given for: {who}.</p>"
        button = _hidden("answer", "withdraw") + "<button>Wycofaj zgodę / Withdraw</button>"
    else:
        state = f"<p>{who}: profil pozostaje prywatny. / The profile stays private.</p>"
        button = _hidden("answer", "grant") + "<button>Wyrażam zgodę / I consent</button>"
    form = f"{state}<form method='post'>{button}</form>"
    return _page("Zgoda opiekuna / Guardian's consent", form)


ROUTES = [
    Route("/pupil/sign-in", pupil_sign_in, methods=["GET", "POST"]),
    Route("/guardian/consent", guardian_consent, methods=["GET", "POST"]),
]
