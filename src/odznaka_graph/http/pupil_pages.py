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


# The mailed link is /guardian/consent#<token> (the fragment never reaches the server, its
# logs or a Referer, as for the data export): the page's script fills the forms from it.
TOKEN_FROM_FRAGMENT = (
    "const t=location.hash.slice(1);"
    "if(t){for(const f of document.querySelectorAll('input[name=token]'))f.value=t;"
    "history.replaceState(null,'',location.pathname);}"
)


def _consent_form(token: str, answer: str, label: str) -> str:
    return f"<form method='post'>{_hidden('token', token)}{_hidden('answer', answer)}{label}</form>"


async def guardian_consent(request: Request) -> Response:
    """The guardian's link: GET shows the forms (a scanner fetching it changes nothing),
    their POST (the token from the link's fragment) consents, withdraws or shows the state.
    A link from an older mail (`?token=`) still fills the forms."""
    token = request.query_params.get("token", "")
    if request.method == "GET":
        forms = _consent_form(token, "show", "<button>Pokaż / Show</button>") + _consent_form(
            token, "grant", "<button>Wyrażam zgodę / I consent</button>"
        )
        return _page("Zgoda opiekuna / Guardian's consent", forms, script=TOKEN_FROM_FRAGMENT)
    fields = await _form(request)
    token = fields.get("token") or token
    guardians = _services(request).guardians
    try:
        if fields.get("answer") == "withdraw":
            await guardians.revoke(token)
        elif fields.get("answer") == "grant":
            await guardians.grant(token)
        name, granted = await guardians.state(token)
    except DomainError as error:
        return _failed(error)
    who = html.escape(name)
    if granted:
        state = f"<p>Zgoda udzielona dla: {who}. / Consent given for: {who}.</p>"
        button = _consent_form(token, "withdraw", "<button>Wycofaj zgodę / Withdraw</button>")
    else:
        state = f"<p>{who}: profil pozostaje prywatny. / The profile stays private.</p>"
        button = _consent_form(token, "grant", "<button>Wyrażam zgodę / I consent</button>")
    return _page("Zgoda opiekuna / Guardian's consent", state + button)


ROUTES = [
    Route("/pupil/sign-in", pupil_sign_in, methods=["GET", "POST"]),
    Route("/guardian/consent", guardian_consent, methods=["GET", "POST"]),
]
