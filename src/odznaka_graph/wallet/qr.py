"""The offer as a QR code (segno): an SVG document and a PNG, for a screen or paper."""

import io

import segno

SCALE = 6
BORDER = 2


def _code(uri: str) -> segno.QRCode:
    return segno.make_qr(uri, error="m")


def svg(uri: str) -> str:
    out = io.BytesIO()
    _code(uri).save(out, kind="svg", scale=SCALE, border=BORDER, xmldecl=False)
    return out.getvalue().decode()


def png(uri: str) -> bytes:
    out = io.BytesIO()
    _code(uri).save(out, kind="png", scale=SCALE, border=BORDER)
    return out.getvalue()
