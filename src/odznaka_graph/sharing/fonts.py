"""A Unicode font with Polish letters (DejaVu, Debian's fonts-dejavu-core), when installed."""

from functools import cache
from pathlib import Path

from fpdf import FPDF

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)


@cache
def dejavu(bold: bool = False) -> Path | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


def add_dejavu(pdf: FPDF) -> bool:
    """Register DejaVu (regular and bold) as "DejaVu" with `pdf`; False when not installed
    (the caller keeps a built-in font, and text outside Latin-1 is replaced)."""
    regular, bold = dejavu(), dejavu(bold=True)
    if regular is None or bold is None:
        return False
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    return True
