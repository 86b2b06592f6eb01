"""What a user hands in for import: a baked image or a pasted document, read into a URL, a
JSON document or a compact JWS. Anything unreadable is a ValidationFailed naming the input
field; nothing has been fetched or stored at that point."""

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

import orjson

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.outcomes import ImportReason
from odznaka_graph.sharing.baking import NotAnImage, NotBaked, unbake

MAX_IMAGE_BYTES = 2_000_000
MAX_DOCUMENT_CHARS = 300_000
JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
OB3_TYPES = {"VerifiableCredential", "OpenBadgeCredential", "AchievementCredential"}


@dataclass(frozen=True)
class Submitted:
    source: str  # PNG, SVG or TEXT
    field: str  # the input field it came from, for error messages
    url: str | None = None
    document: dict[str, Any] | None = None  # the JSON, or a JWS's payload
    jws: str | None = None
    ob3: bool = False

    @property
    def format(self) -> str:
        return "OB3" if self.ob3 else "OB2"


def read_input(document: str | None, image_base64: str | None) -> Submitted:
    if (document is None) == (image_base64 is None):
        raise ValidationFailed(
            {"input": "Give either a document or a baked image (not both)."},
            reason=ImportReason.DOCUMENT_OR_IMAGE,
        )
    if image_base64 is not None:
        return _from_image(image_base64)
    assert document is not None
    if len(document) > MAX_DOCUMENT_CHARS:
        raise ValidationFailed(
            {"document": "The document is too long."}, reason=ImportReason.DOCUMENT_TOO_LONG
        )
    return classify(document, "document", "TEXT", ob3_hint=False)


def _from_image(encoded: str) -> Submitted:
    field = "imageBase64"
    data = _decode_base64(encoded.split(",", 1)[1] if encoded.startswith("data:") else encoded)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationFailed(
            {field: f"The image is larger than {MAX_IMAGE_BYTES} bytes."},
            reason=ImportReason.IMAGE_TOO_LARGE,
        )
    try:
        baked = unbake(data)
    except NotAnImage:
        raise ValidationFailed(
            {field: "This is not a PNG or SVG image."}, reason=ImportReason.NOT_AN_IMAGE
        ) from None
    except NotBaked as error:
        raise ValidationFailed({field: str(error)}, reason=ImportReason.IMAGE_NOT_BAKED) from None
    return classify(baked.text, field, baked.image_type, ob3_hint=baked.ob3)


def _decode_base64(encoded: str) -> bytes:
    compact = "".join(encoded.split())
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            {"imageBase64": "This is not valid base64."}, reason=ImportReason.NOT_BASE64
        ) from None


def classify(text: str, field: str, source: str, *, ob3_hint: bool) -> Submitted:
    text = text.strip()
    if not text:
        raise ValidationFailed(
            {field: "Nothing to import: the text is empty."}, reason=ImportReason.DOCUMENT_EMPTY
        )
    if re.match(r"^https?://\S+$", text):
        return Submitted(source, field, url=text, ob3=ob3_hint)
    if text[0] in "{[":
        document = _json_object(text, field)
        return Submitted(source, field, document=document, ob3=is_ob3(document, field))
    if JWS.match(text):
        payload = _jws_payload(text, field)
        return Submitted(source, field, document=payload, jws=text, ob3=is_ob3(payload, field))
    raise ValidationFailed(
        {field: "Expected an Open Badges document (JSON), a compact JWS or an assertion URL."},
        reason=ImportReason.UNKNOWN_DOCUMENT_FORMAT,
    )


def _json_object(text: str, field: str) -> dict[str, Any]:
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ValidationFailed(
            {field: f"This is not valid JSON ({error})."}, reason=ImportReason.NOT_JSON
        ) from None
    if not isinstance(document, dict):
        raise ValidationFailed(
            {field: "The JSON must be an object."}, reason=ImportReason.JSON_NOT_OBJECT
        )
    return document


def _jws_payload(token: str, field: str) -> dict[str, Any]:
    part = token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            {field: "The JWS payload is not base64url."}, reason=ImportReason.JWS_PAYLOAD_NOT_BASE64
        ) from None
    return _json_object(raw.decode("utf-8", "replace"), field)


def types_of(document: dict[str, Any]) -> set[str]:
    kind = document.get("type")
    return {str(item) for item in kind} if isinstance(kind, list) else {str(kind)}


def is_ob3(document: dict[str, Any], field: str) -> bool:
    if isinstance(document.get("vc"), dict) or types_of(document) & OB3_TYPES:
        return True
    if "Assertion" in types_of(document) or {"recipient", "badge"} <= document.keys():
        return False
    raise ValidationFailed(
        {field: "This is not an Open Badges 2.0 assertion or an Open Badges 3.0 credential."},
        reason=ImportReason.NOT_OPEN_BADGES,
    )
