"""Badge pictures uploaded to the API (issue 15): only a club's owners and moderators
upload; every picture is re-encoded (no metadata), an SVG is rasterised and never served,
bombs and oversized files are refused with typed errors, and a peer badge shows the
picture the API serves."""

import io
import struct
import zlib

import httpx
from PIL import Image

from tests.club_helpers import PEER_BADGE, club_of, peer_badge
from tests.helpers import Api, Person, register, tx

SECRET = "Kamera-Ali-GPS-52.23N"


def png(width: int = 40, height: int = 30, color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = SECRET  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°
    out = io.BytesIO()
    Image.new("RGB", (60, 20), "blue").save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A PNG header claiming width × height pixels, with a tiny compressed body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 100_000, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100" height="50" viewBox="0 0 100 50" onload="alert('root')">
  <script>alert('x')</script>
  <image href="file:///etc/hostname" width="100" height="50"/>
  <rect width="100" height="50" fill="#00ff00"/>
</svg>"""

ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""


async def upload(api: Api, club_id: str, person: Person | None, data: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/octet-stream"}
    if person is not None:
        headers["Authorization"] = f"Bearer {person.token}"
    return await api.client.post(f"/clubs/{club_id}/badge-images", content=data, headers=headers)


async def _club(api: Api) -> tuple[Person, Person, str]:
    owner, member = await register(api), await register(api)
    return owner, member, await club_of(api, owner, [member])


async def test_an_owner_uploads_a_picture_the_api_serves_safely(api: Api) -> None:
    owner, _, club_id = await _club(api)
    response = await upload(api, club_id, owner, png())
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["contentType"], stored["width"], stored["height"]) == ("image/png", 40, 30)
    assert stored["url"].endswith(f"/files/{stored['url'].rsplit('/', 1)[1]}")

    path = httpx.URL(stored["url"]).path
    served = await api.client.get(path)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert "immutable" in served.headers["cache-control"]
    assert Image.open(io.BytesIO(served.content)).size == (40, 30)
    again = await api.client.get(path, headers={"If-None-Match": served.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_metadata_is_stripped_and_orientation_applied(api: Api) -> None:
    owner, _, club_id = await _club(api)
    original = jpeg_with_exif()
    assert SECRET.encode() in original
    stored = (await upload(api, club_id, owner, original)).json()
    served = await api.client.get(httpx.URL(stored["url"]).path)
    assert served.headers["content-type"] == "image/jpeg"
    assert SECRET.encode() not in served.content
    picture = Image.open(io.BytesIO(served.content))
    assert picture.size == (20, 60)  # turned upright, then the orientation tag dropped
    assert not picture.getexif()


async def test_an_svg_is_rasterised_without_its_script_or_outside_files(api: Api) -> None:
    owner, _, club_id = await _club(api)
    response = await upload(api, club_id, owner, SVG)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["contentType"], stored["width"], stored["height"]) == ("image/png", 512, 256)
    served = await api.client.get(httpx.URL(stored["url"]).path)
    assert served.headers["content-type"] == "image/png"
    assert b"<svg" not in served.content and b"alert" not in served.content
    picture = Image.open(io.BytesIO(served.content)).convert("RGB")
    assert picture.getpixel((256, 128)) == (0, 255, 0)


async def test_refusals_are_typed_and_store_nothing(api: Api) -> None:
    owner, member, club_id = await _club(api)
    limit = api.runtime.services.stores.settings.image_max_bytes
    side = api.runtime.services.stores.settings.image_max_side
    cases = [
        (png_bomb(100_000, 100_000), 422, "IMAGE_TOO_BIG"),  # past Pillow's own bomb guard
        (png_bomb(side + 1, 10), 422, "IMAGE_TOO_BIG"),  # over our side limit, never decoded
        (b"\x00" * (limit + 1), 413, "FILE_TOO_LARGE"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", 415, "FILE_TYPE_NOT_ALLOWED"),
        (b"%PDF-1.7\n%%EOF", 415, "FILE_TYPE_NOT_ALLOWED"),  # evidence only
        (png()[:60], 422, "IMAGE_UNREADABLE"),
        (ENTITIES, 422, "IMAGE_UNREADABLE"),  # a DTD with entities is never expanded
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', 422, "IMAGE_UNREADABLE"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', 415, "FILE_TYPE_NOT_ALLOWED"),
    ]
    for data, status, reason in cases:
        response = await upload(api, club_id, owner, data)
        assert (response.status_code, response.json()["error"]["reason"]) == (status, reason)
    refused = await upload(api, club_id, member, png())
    assert (refused.status_code, refused.json()["error"]["reason"]) == (403, "ACTION_NOT_ALLOWED")
    anonymous = await upload(api, club_id, None, png())
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "UNAUTHENTICATED")
    polish = await api.client.post(
        f"/clubs/{club_id}/badge-images",
        content=png_bomb(side + 1, 10),
        headers={"Authorization": f"Bearer {owner.token}", "Accept-Language": "pl"},
    )
    assert "pikseli" in polish.json()["error"]["message"]


async def _peer_badge(api: Api, club_id: str, person: Person, **image: str) -> dict[str, str]:
    badge = await api.mutate(
        "createPeerBadge",
        {
            "clubId": club_id,
            "name": tx("Fotograf", "Photographer"),
            "description": tx("Robi zdjęcia.", "Takes pictures."),
            "criteria": tx("Trzy wystawy.", "Three shows."),
            **image,
        },
        PEER_BADGE + " ... on Badge { imageUrl }",
        person.token,
    )
    return badge


async def test_a_peer_badge_shows_an_uploaded_picture_of_its_club(api: Api) -> None:
    owner, member, club_id = await _club(api)
    stored = (await upload(api, club_id, owner, png())).json()
    badge = await _peer_badge(api, club_id, owner, imageId=stored["id"])
    assert badge["__typename"] == "Badge", badge
    assert badge["imageUrl"] == stored["url"]
    credential = await api.query(
        "query($id: ID!) { badge(id: $id) { imageUrl } }", {"id": badge["id"]}
    )
    assert credential["badge"]["imageUrl"] == stored["url"]

    # A member may create peer badges, but attaching the club's pictures is for its owners.
    refused = await _peer_badge(api, club_id, member, imageId=stored["id"])
    assert refused["reason"] == "ACTION_NOT_ALLOWED"
    # Another club's picture, or none at all / both, is refused.
    other_owner, _, other_club = await _club(api)
    foreign = await _peer_badge(api, other_club, other_owner, imageId=stored["id"])
    assert foreign["reason"] == "FILE_NOT_FOUND"
    neither = await _peer_badge(api, club_id, owner)
    assert neither["reason"] == "PEER_BADGE_DETAILS_INVALID"
    both = await _peer_badge(
        api, club_id, owner, imageId=stored["id"], imageUrl="https://x.org/a.png"
    )
    assert both["reason"] == "PEER_BADGE_DETAILS_INVALID"
    # Badges with a picture elsewhere keep working.
    assert await peer_badge(api, club_id, member)


def _use_bomb(levels: int = 12, fan_out: int = 10) -> bytes:
    """Each group draws the one before it ten times: 10^12 rectangles if drawn as written."""
    groups = ['<g id="g0"><rect width="1" height="1" fill="#f00"/></g>']
    for level in range(1, levels):
        uses = "".join(f'<use href="#g{level - 1}" x="{i}"/>' for i in range(fan_out))
        groups.append(f'<g id="g{level}">{uses}</g>')
    body = "".join(groups) + f'<use href="#g{levels - 1}"/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">{body}</svg>'.encode()


async def test_svg_documents_that_would_blow_up_are_cut_or_refused(api: Api) -> None:
    owner, _, club_id = await _club(api)
    # References that nest (a <use> of something holding a <use>) are dropped, so the
    # drawing is linear in the document; the picture is still made.
    drawn = await upload(api, club_id, owner, _use_bomb())
    assert drawn.status_code == 201, drawn.text
    rects = "".join('<rect width="1" height="1"/>' for _ in range(5001))
    many = f'<svg xmlns="http://www.w3.org/2000/svg">{rects}</svg>'.encode()
    deep = (
        '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 2000 + "</g>" * 2000 + "</svg>"
    ).encode()
    for data in (many, deep):
        refused = await upload(api, club_id, owner, data)
        assert (refused.status_code, refused.json()["error"]["reason"]) == (422, "IMAGE_TOO_BIG")
    # CSS that loads another file is dropped with its element; the rest is drawn.
    styled = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
      <style>@import url(http://127.0.0.1:1/x.css);</style>
      <rect width="10" height="10" style="fill: url(/etc/passwd)"/>
      <rect width="10" height="10" fill="#0000ff"/></svg>"""
    stored = (await upload(api, club_id, owner, styled)).json()
    served = await api.client.get(httpx.URL(stored["url"]).path)
    assert Image.open(io.BytesIO(served.content)).convert("RGB").getpixel((5, 5)) == (0, 0, 255)


async def test_uploads_per_account_are_limited_per_day(api: Api) -> None:
    owner, _, club_id = await _club(api)
    limit = api.runtime.services.stores.settings.uploads_max_per_day
    tiny = png(2, 2)
    for _ in range(limit):
        assert (await upload(api, club_id, owner, tiny)).status_code == 201
    refused = await upload(api, club_id, owner, tiny)
    assert refused.status_code == 429
    assert refused.json()["error"]["reason"] == "TOO_MANY_UPLOADS"
    assert 0 < int(refused.headers["retry-after"]) <= 86_400
    other = await register(api)  # another account is not held back
    response = await api.client.post(
        "/files/evidence", content=tiny, headers={"Authorization": f"Bearer {other.token}"}
    )
    assert response.status_code == 201
