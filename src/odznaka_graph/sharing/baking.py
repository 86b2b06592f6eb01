"""Baking: an Open Badges assertion carried inside its badge image, and read back out.

PNG: one uncompressed iTXt chunk, keyword `openbadges` (OB 2.0) or `openbadgecredential`
(OB 3.0), right after IHDR; a legacy tEXt chunk is read too. SVG: an
`<openbadges:assertion verify="...">` (OB 2.0) or `<openbadges:credential>` (OB 3.0)
element with the URL in `verify` and/or the JSON as its text.
Reading is for untrusted uploads: chunks are walked by hand (no image decoding), lengths
are checked, and SVG is parsed without entities or external references (defusedxml)."""

import struct
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape

import defusedxml.ElementTree as SafeTree  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
OB2_SVG_NS = "http://openbadges.org"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"
MAX_TEXT = 1_000_000


class NotAnImage(ValueError):
    """Neither a PNG nor an SVG document."""


class NotBaked(ValueError):
    """An image without Open Badges data in it."""


@dataclass(frozen=True)
class Baked:
    """What an image carried: the text (a URL, a JSON document or a compact JWS), and
    whether it was marked as OB 3.0 (`openbadgecredential`) or OB 2.0."""

    text: str
    ob3: bool
    image_type: str  # PNG or SVG


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if not png.startswith(PNG_SIGNATURE):
        raise NotAnImage("not a PNG")
    found, at = [], len(PNG_SIGNATURE)
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        end = at + 8 + length + 4
        if end > len(png):
            raise NotAnImage("the PNG is cut short")
        found.append((kind, png[at + 8 : at + 8 + length]))
        at = end
        if kind == b"IEND":
            break
    if not found or found[0][0] != b"IHDR":
        raise NotAnImage("the PNG has no header chunk")
    return found


def _keyword(kind: bytes, data: bytes) -> str | None:
    if kind not in (b"iTXt", b"tEXt"):
        return None
    return data.split(b"\0", 1)[0].decode("latin-1")


def bake_png(png: bytes, text: str, keyword: str = OB2_KEYWORD) -> bytes:
    """The image with `text` in its only `keyword` iTXt chunk (any earlier one replaced)."""
    chunks = [c for c in _chunks(png) if _keyword(*c) not in (OB2_KEYWORD, OB3_KEYWORD)]
    # keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword
    itxt = keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
    out = [PNG_SIGNATURE, _chunk(*chunks[0]), _chunk(b"iTXt", itxt)]
    out += [_chunk(kind, data) for kind, data in chunks[1:]]
    return b"".join(out)


def unbake_png(png: bytes) -> Baked:
    for kind, data in _chunks(png):
        keyword = _keyword(kind, data)
        if keyword in (OB2_KEYWORD, OB3_KEYWORD):
            text = (
                _itxt_text(data) if kind == b"iTXt" else data.split(b"\0", 1)[1].decode("latin-1")
            )
            return Baked(text.strip(), keyword == OB3_KEYWORD, "PNG")
    raise NotBaked("The PNG image carries no Open Badges data (no `openbadges` chunk).")


def _itxt_text(data: bytes) -> str:
    try:
        _keyword_part, rest = data.split(b"\0", 1)
        compressed, _method = rest[0], rest[1]
        _lang, _translated, text = rest[2:].split(b"\0", 2)
        if compressed:
            inflater = zlib.decompressobj()
            text = inflater.decompress(text, MAX_TEXT)
            if inflater.unconsumed_tail:
                raise NotBaked("The badge data in the PNG is too large.")
        return text.decode("utf-8")
    except (ValueError, IndexError, zlib.error) as error:
        raise NotBaked("The `openbadges` chunk in the PNG is malformed.") from error


def bake_svg_element(text: str, verify_url: str | None) -> str:
    """The <openbadges:assertion> element to put right after <svg ...>."""
    verify = f' verify="{escape(verify_url, {chr(34): "&quot;"})}"' if verify_url else ""
    body = f"<![CDATA[{text.replace(']]>', ']]]]><![CDATA[>')}]]>" if text else ""
    return f"<openbadges:assertion{verify}>{body}</openbadges:assertion>"


def unbake_svg(svg: bytes) -> Baked:
    try:
        root = SafeTree.fromstring(svg)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise NotAnImage("not a well-formed SVG document") from error
    if root.tag not in ("{http://www.w3.org/2000/svg}svg", "svg"):
        raise NotAnImage("not an SVG document")
    for namespace, name, ob3 in (
        (OB3_SVG_NS, "credential", True),
        (OB2_SVG_NS, "assertion", False),
    ):
        element = root.find(f".//{{{namespace}}}{name}")
        if element is not None:
            text = (element.text or "").strip() or element.get("verify", "").strip()
            if text:
                return Baked(text, ob3, "SVG")
    raise NotBaked("The SVG image carries no Open Badges data (no openbadges:assertion).")


def unbake(data: bytes) -> Baked:
    """From an uploaded PNG or SVG; NotAnImage or NotBaked otherwise."""
    if data.startswith(PNG_SIGNATURE):
        return unbake_png(data)
    head = data[:1000].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return unbake_svg(data)
    raise NotAnImage("The upload is neither a PNG nor an SVG image.")
