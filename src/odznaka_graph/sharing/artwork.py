"""A plain badge picture drawn for badges whose issuer gave no image we can bake: a
coloured disc with the badge's initials and name. PNG through Pillow, SVG as text."""

import hashlib
import io
import textwrap
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from odznaka_graph.sharing.fonts import dejavu

SIZE = 400
# Dark enough for white text to pass WCAG AA contrast.
PALETTE = ("#1d4e89", "#7a1f5c", "#0f6b50", "#8a3b12", "#3d2c8d", "#2f4858")


def colour(key: str) -> str:
    return PALETTE[hashlib.sha256(key.encode()).digest()[0] % len(PALETTE)]


def initials(name: str) -> str:
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = dejavu(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def _lines(name: str) -> list[str]:
    return textwrap.wrap(name, 18)[:2]


def badge_png(key: str, name: str) -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=colour(key), outline="#ffffff", width=10)
    draw.ellipse((34, 34, SIZE - 34, SIZE - 34), outline="#ffffff", width=3)
    centre = SIZE // 2
    draw.text((centre, 150), initials(name), fill="#ffffff", font=_font(110, True), anchor="mm")
    for row, line in enumerate(_lines(name)):
        draw.text(
            (centre, 262 + row * 34), line, fill="#ffffff", font=_font(26, False), anchor="mm"
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def badge_svg(key: str, name: str, extra: str = "") -> str:
    """`extra` goes right after the <svg> element (the baked assertion)."""
    lines = "".join(
        f'<text x="200" y="{270 + row * 34}" font-size="26">{escape(line)}</text>'
        for row, line in enumerate(_lines(name))
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        f'width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'aria-label="{escape(name, {chr(34): "&quot;"})}">'
        f"{extra}"
        f'<circle cx="200" cy="200" r="187" fill="{colour(key)}" stroke="#fff" stroke-width="10"/>'
        '<circle cx="200" cy="200" r="166" fill="none" stroke="#fff" stroke-width="3"/>'
        '<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif">'
        f'<text x="200" y="188" font-size="110" font-weight="bold">{escape(initials(name))}</text>'
        f"{lines}</g></svg>"
    )
