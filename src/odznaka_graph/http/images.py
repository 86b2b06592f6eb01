"""Uploads over plain HTTP (issue 15), kept out of GraphQL so its body and document limits
stay as they are: the body is the file itself (any Content-Type; the bytes decide), the
answer the stored file's id, which createPeerBadge (`imageId`) or requestBadge
(`evidenceFileId`) then names.

    POST /clubs/{clubId}/badge-images   a club's owners and moderators: a badge picture
    POST /files/evidence                 any signed-in user: evidence for a badge request
    GET  /files/{id}                     the stored file, served with its own type

Errors are JSON `{"error": {"code", "reason", "message"}}`: 401, 403, 404, 413 (over the
byte limit), 415 (not PNG, JPEG, SVG, or PDF for evidence), 422 (unreadable, or over the
pixel limits) and 429 with Retry-After (over UPLOADS_MAX_PER_DAY). Served files carry
`X-Content-Type-Options: nosniff`, a CSP that allows nothing (`default-src 'none';
sandbox`) and a strong ETag (the SHA-256 of the bytes); a badge picture never changes under
its id, so it is cached for a year."""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from odznaka_graph.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from odznaka_graph.i18n import parse_accept_language
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.outcomes import UploadReason
from odznaka_graph.services.image_files import refuse
from odznaka_graph.services.images import Uploaded
from odznaka_graph.services.messages import translate
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.sharing.routes import _viewer

STATUS = {
    UploadReason.FILE_TOO_LARGE: 413,
    UploadReason.FILE_TYPE_NOT_ALLOWED: 415,
}
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}

Upload = Callable[[Services, Viewer, bytes], Awaitable[Uploaded]]


async def upload_badge_image(request: Request) -> Response:
    club_id = local_id(request.path_params["club_id"], "Club") or ""

    async def upload(services: Services, viewer: Viewer, data: bytes) -> Uploaded:
        return await services.images.upload_badge_image(viewer, club_id, data)

    return await _upload(request, upload, _services(request).stores.settings.image_max_bytes)


async def upload_evidence(request: Request) -> Response:
    async def upload(services: Services, viewer: Viewer, data: bytes) -> Uploaded:
        return await services.images.upload_evidence(viewer, data)

    return await _upload(request, upload, _services(request).stores.settings.evidence_max_bytes)


async def _upload(request: Request, upload: Upload, limit: int) -> Response:
    services = _services(request)
    try:
        viewer = await _viewer(request)
        if viewer.id is None:
            raise Unauthenticated()
        uploaded = await upload(services, viewer, await _body(request, limit))
    except DomainError as error:
        return _error(request, error)
    body = {
        "id": to_global("UploadedFile", uploaded.id),
        "url": services.images.url(uploaded.id),
        "contentType": uploaded.content_type,
        "width": uploaded.width,
        "height": uploaded.height,
        "size": uploaded.size,
    }
    return JSONResponse(body, 201, headers={"Cache-Control": "no-store"})


async def _body(request: Request, limit: int) -> bytes:
    """The body, read no further than one byte past `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise refuse(UploadReason.FILE_TOO_LARGE, f"The file is over {limit} bytes.")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise refuse(UploadReason.FILE_TOO_LARGE, f"The file is over {limit} bytes.")
    return bytes(data)


async def serve_file(request: Request) -> Response:
    services = _services(request)
    viewer = await _viewer(request)
    found = await services.images.served(viewer, request.path_params["file_id"])
    if found is None:
        return _error(request, NotFound("No such file.", reason=UploadReason.FILE_NOT_FOUND))
    etag = f'"{found.sha256}"'
    headers = SAFE_HEADERS | {"ETag": etag, "Vary": "Authorization"}
    if found.public:
        headers |= {
            "Cache-Control": "public, max-age=31536000, immutable",
            "Cross-Origin-Resource-Policy": "cross-origin",
        }
    else:
        headers |= {"Cache-Control": "private, no-cache", "Content-Disposition": "attachment"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.data, headers=headers, media_type=found.content_type)


def _error(request: Request, error: DomainError) -> JSONResponse:
    languages = parse_accept_language(request.headers.get("accept-language"))
    body: dict[str, str | int] = {
        "code": error.code,
        "reason": error.reason.name,
        "message": translate(error.message, languages),
    }
    headers = dict(SAFE_HEADERS)
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after_seconds)
        body["retryAfterSeconds"] = error.retry_after_seconds
    return JSONResponse({"error": body}, _status(error), headers=headers)


def _status(error: DomainError) -> int:
    if error.reason in STATUS:
        return STATUS[error.reason]
    statuses = {
        Unauthenticated: 401,
        PermissionDenied: 403,
        ValidationFailed: 422,
        RateLimited: 429,
    }
    return next((code for kind, code in statuses.items() if isinstance(error, kind)), 404)


def _services(request: Request) -> Services:
    services: Services = request.app.state.runtime.services
    return services


ROUTES = [
    Route("/clubs/{club_id}/badge-images", upload_badge_image, methods=["POST"]),
    Route("/files/evidence", upload_evidence, methods=["POST"]),
    Route("/files/{file_id}", serve_file, methods=["GET", "HEAD"]),
]
