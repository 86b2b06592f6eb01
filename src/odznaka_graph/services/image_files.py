"""Uploaded pictures made safe to serve (issue 15): CPU work, run in a worker thread.

- PNG and JPEG: the header is read first and a picture wider or taller than the limit is
  refused before a single pixel is decoded (a decompression bomb never expands); then the
  pixels are decoded and encoded anew, so no metadata (EXIF, text chunks, ICC profiles)
  and no trailing bytes survive. EXIF orientation is applied before it is dropped.
- SVG: never served. It is parsed with defusedxml (no DTD, no entities: linear in the
  document, no entity expansion), checked (at most `SVG_MAX_ELEMENTS` elements; nothing
  that loads another file or runs anything), and rasterised by resvg into a PNG no larger
  than the render size, which is what the API serves.
- PDF (badge-request evidence only): kept as sent after a check of its signature; served
  only as an attachment to the people who may see the request, in a sandbox.
"""

import hashlib
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
import resvg_py
from defusedxml import DefusedXmlException
from PIL import Image, ImageOps, UnidentifiedImageError

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.outcomes import UploadReason

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SVG_MAX_ELEMENTS = 5000
SVG_MAX_DEPTH = 64
# Elements that run code, embed another document or are not drawn by resvg anyway.
SVG_DROPPED = {"script", "foreignObject", "iframe", "audio", "video", "animate", "set"}
TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_side: int  # each of width and height of a PNG or JPEG
    svg_side: int  # the PNG an SVG becomes fits in svg_side × svg_side


@dataclass(frozen=True)
class CleanFile:
    content_type: str
    data: bytes
    width: int | None
    height: int | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def refuse(reason: UploadReason, message: str) -> ValidationFailed:
    return ValidationFailed({"file": message}, message, reason=reason)


def clean_picture(data: bytes, limits: Limits) -> CleanFile:
    """A PNG, JPEG or SVG upload as a re-encoded PNG or JPEG, or a typed refusal."""
    check_size(data, limits.max_bytes)
    if _looks_like_svg(data):
        return _rasterised(data, limits.svg_side)
    return _reencoded(data, limits.max_side)


def clean_evidence(data: bytes, limits: Limits) -> CleanFile:
    """Evidence: a picture (cleaned as above) or a PDF (checked, kept as sent)."""
    check_size(data, limits.max_bytes)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise refuse(UploadReason.IMAGE_UNREADABLE, "The PDF is cut off or damaged.")
        return CleanFile("application/pdf", data, None, None)
    return clean_picture(data, limits)


def check_size(data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise refuse(UploadReason.FILE_TOO_LARGE, f"The file is over {limit} bytes.")
    if not data:
        raise refuse(UploadReason.IMAGE_UNREADABLE, "The file is empty.")


def _reencoded(data: bytes, max_side: int) -> CleanFile:
    try:
        with Image.open(io.BytesIO(data), formats=list(TYPES)) as image:
            _check_dimensions(image.size, max_side)
            image.load()
            upright = ImageOps.exif_transpose(image)
            return _encoded(upright, str(image.format))
    except Image.DecompressionBombError:
        raise refuse(
            UploadReason.IMAGE_TOO_BIG, "The picture would decode to too many pixels."
        ) from None
    except UnidentifiedImageError:
        if data.startswith(MAGIC):
            raise refuse(UploadReason.IMAGE_UNREADABLE, "The picture cannot be read.") from None
        raise refuse(
            UploadReason.FILE_TYPE_NOT_ALLOWED, "Upload a PNG, JPEG or SVG picture."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise refuse(UploadReason.IMAGE_UNREADABLE, "The picture cannot be read.") from None


def _check_dimensions(size: tuple[int, int], max_side: int) -> None:
    width, height = size
    if width > max_side or height > max_side:
        raise refuse(
            UploadReason.IMAGE_TOO_BIG,
            f"The picture is {width}×{height} pixels; at most {max_side} on each side.",
        )


def _encoded(image: Image.Image, kind: str) -> CleanFile:
    """The pixels alone, encoded anew: a fresh image carries no metadata."""
    if kind == "JPEG":
        pixels = image.convert("RGB")
    else:
        pixels = image.convert("RGBA" if _has_alpha(image) else "RGB")
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        fresh.save(out, "JPEG", quality=90, optimize=True)
    else:
        fresh.save(out, "PNG")
    return CleanFile(TYPES[kind], out.getvalue(), fresh.width, fresh.height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--")


def _rasterised(data: bytes, side: int) -> CleanFile:
    document = sanitised_svg(data)
    try:
        png = resvg_py.svg_to_bytes(svg_string=document, width=side, height=side)
    except (ValueError, OverflowError):
        raise refuse(UploadReason.IMAGE_UNREADABLE, "The SVG picture cannot be drawn.") from None
    return _reencoded(bytes(png), side)


def sanitised_svg(data: bytes) -> str:
    """The SVG with everything that could load a file or run code taken out, or a typed
    refusal (a DTD or entity, not SVG, too many elements)."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True)
    except (DefusedXmlException, ET.ParseError):
        raise refuse(
            UploadReason.IMAGE_UNREADABLE, "The SVG is not well-formed XML without a DTD."
        ) from None
    if root.tag != f"{SVG_NS}svg":
        raise refuse(UploadReason.FILE_TYPE_NOT_ALLOWED, "Upload a PNG, JPEG or SVG picture.")
    _check_shape(root)
    reusers: set[str] = set()
    _note_reusers(root, reusers)
    _strip(root, reusers)
    return ET.tostring(root, encoding="unicode")


def _check_shape(root: ET.Element) -> None:
    """At most SVG_MAX_ELEMENTS elements nested at most SVG_MAX_DEPTH deep, found in one
    pass without recursion (the later passes recurse only as deep as this allows)."""
    count, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > SVG_MAX_ELEMENTS or depth > SVG_MAX_DEPTH:
            raise refuse(
                UploadReason.IMAGE_TOO_BIG,
                f"The SVG has more than {SVG_MAX_ELEMENTS} elements or nests them more than "
                f"{SVG_MAX_DEPTH} deep.",
            )
        stack.extend((child, depth + 1) for child in element)


def _note_reusers(element: ET.Element, found: set[str]) -> bool:
    """Whether the element is or holds a <use>; the ids of those that do go into `found`:
    a <use> of one is dropped, so references cannot nest (nested ones multiply the drawing
    work exponentially). One pass over the tree."""
    holds = _local(element.tag) == "use"
    for child in element:
        holds = _note_reusers(child, found) or holds
    element_id = element.get("id")
    if holds and element_id:
        found.add(element_id)
    return holds


def _strip(parent: ET.Element, reusers: set[str]) -> None:
    for name in [n for n in parent.attrib if _local(n).lower().startswith("on")]:
        del parent.attrib[name]
    for child in list(parent):
        if _dropped(child, reusers):
            parent.remove(child)
        else:
            _strip(child, reusers)


def _dropped(element: ET.Element, reusers: set[str]) -> bool:
    name = _local(element.tag)
    if name in SVG_DROPPED or not element.tag.startswith(SVG_NS):
        return True
    href = element.get("href") or element.get(XLINK_HREF)
    if href is not None and (not href.startswith("#") or (name == "use" and href[1:] in reusers)):
        return True  # another file, a data: URL (its own decoder), or nested reuse
    styles = [element.get("style") or "", element.text or "" if name == "style" else ""]
    return any(_loads_something(style) for style in styles)


def _loads_something(css: str) -> bool:
    folded = css.lower().replace(" ", "")
    return "@import" in folded or folded.replace("url(#", "").count("url(") > 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
