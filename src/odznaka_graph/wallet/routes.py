"""The wallet's HTTP side, mounted by app.py: OpenID4VCI and OAuth metadata, the offer at
its credential_offer_uri, the token, nonce and credential endpoints, the SD-JWT VC type
metadata at its `vct`, issuers' JWT VC issuer metadata and their Token Status Lists."""

import re
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from odznaka_graph.services.tokens import ANONYMOUS
from odznaka_graph.services.visibility_service import Visibility
from odznaka_graph.wallet import claims, metadata, token_status
from odznaka_graph.wallet.issuance import ProtocolError, WalletService

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PUBLIC = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
NO_STORE = {"Cache-Control": "no-store"}
MAX_REQUEST_BYTES = 64 * 1024


def _service(request: Request) -> WalletService:
    service: WalletService = request.app.state.runtime.services.wallet
    return service


def _base(request: Request) -> str:
    return str(request.app.state.runtime.settings.public_base_url)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers=headers, media_type="application/json")


def _refused(error: ProtocolError) -> Response:
    headers = dict(NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = f'Bearer error="{error.error}"'
    body = {"error": error.error, "error_description": error.description}
    return _json(body, error.status, headers)


async def credential_issuer(request: Request) -> Response:
    return _json(metadata.credential_issuer(_base(request)), headers=PUBLIC)


async def authorization_server(request: Request) -> Response:
    return _json(metadata.authorization_server(_base(request)), headers=PUBLIC)


async def type_metadata(request: Request) -> Response:
    return _json(claims.type_metadata(_base(request)), headers=PUBLIC)


async def offer(request: Request) -> Response:
    found = await _service(request).offer_document(str(request.path_params["code"]))
    if found is None:
        return _json({"error": "Offer not found, used or expired."}, 404, NO_STORE)
    return _json(found, headers=NO_STORE)


async def token(request: Request) -> Response:
    try:
        form = await _form(request)
        if form.get("grant_type") != metadata.PRE_AUTHORIZED:
            raise ProtocolError(400, "unsupported_grant_type", "Only the pre-authorized code.")
        grant = await _service(request).token(form.get("pre-authorized_code"), form.get("tx_code"))
    except ProtocolError as error:
        return _refused(error)
    body = {"access_token": grant.access_token, "token_type": "Bearer"}
    return _json(body | {"expires_in": grant.expires_in}, headers=NO_STORE)


async def _form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (each parameter once)."""
    body = await request.body()
    if len(body) > MAX_REQUEST_BYTES:
        raise ProtocolError(400, "invalid_request", "The request is too large.")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(400, "invalid_request", "Not a form-encoded body.") from None
    form = dict(pairs)
    if len(form) != len(pairs):
        raise ProtocolError(400, "invalid_request", "A parameter is repeated.")
    return form


async def nonce(request: Request) -> Response:
    return _json({"c_nonce": _service(request).nonce()}, headers=NO_STORE)


async def credential(request: Request) -> Response:
    scheme, _, access_token = request.headers.get("authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise ProtocolError(401, "invalid_token", "Send the access token as a Bearer token.")
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            raise ProtocolError(400, "invalid_credential_request", "The request is too large.")
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ProtocolError(400, "invalid_credential_request", "Not JSON.") from None
        document = await _service(request).credential(access_token.strip(), parsed)
    except ProtocolError as error:
        return _refused(error)
    return _json({"credentials": [{"credential": document}]}, headers=NO_STORE)


async def _public_issuer(request: Request) -> str | None:
    """The path's issuer id when an anonymous verifier may see that issuer."""
    issuer_id = str(request.path_params["issuer_id"])
    if not UUID.match(issuer_id):
        return None
    stores = request.app.state.runtime.services.stores
    shown = await Visibility(stores.graph, stores.ledger, ANONYMOUS).issuer_exists(issuer_id)
    return issuer_id if shown else None


async def jwt_vc_issuer(request: Request) -> Response:
    issuer_id = await _public_issuer(request)
    found = await _service(request).jwt_vc_issuer(issuer_id) if issuer_id else None
    if found is None:
        return _json({"error": "Not found."}, 404)
    return _json(found, headers=PUBLIC)


async def status_list(request: Request) -> Response:
    issuer_id, list_no = await _public_issuer(request), int(request.path_params["list_no"])
    found = await _service(request).status_list_token(issuer_id, list_no) if issuer_id else None
    if found is None:
        return _json({"error": "Not found."}, 404)
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}
    return Response(found, headers=headers, media_type=token_status.MEDIA_TYPE)


ROUTES = [
    Route("/.well-known/openid-credential-issuer", credential_issuer),
    Route("/.well-known/oauth-authorization-server", authorization_server),
    Route("/.well-known/jwt-vc-issuer/issuers/{issuer_id}", jwt_vc_issuer),
    Route(claims.VCT_PATH, type_metadata),
    Route(metadata.OFFER_PATH + "{code}", offer),
    Route(metadata.TOKEN_PATH, token, methods=["POST"]),
    Route(metadata.NONCE_PATH, nonce, methods=["POST"]),
    Route(metadata.CREDENTIAL_PATH, credential, methods=["POST"]),
    Route("/issuers/{issuer_id}/token-status/{list_no:int}", status_list),
]
