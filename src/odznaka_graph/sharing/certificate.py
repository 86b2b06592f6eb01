"""A PDF certificate of one award: holder, badge, issuer, outcomes, workload, dates and a
QR code to the public verification page, in Polish or English. DejaVu Sans is embedded
for Polish letters; without it (no fonts-dejavu-core) the built-in Helvetica is used and
letters outside Latin-1 are simplified."""

import io
import unicodedata
from datetime import datetime

import qrcode  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from odznaka_graph.i18n import pick
from odznaka_graph.sharing import artwork
from odznaka_graph.sharing.dates import long_date
from odznaka_graph.sharing.fonts import add_dejavu
from odznaka_graph.sharing.labels import LABELS, preferred
from odznaka_graph.sharing.links import Links
from odznaka_graph.sharing.view import CredentialView

MAX_OUTCOMES = 8
ACCENT = (29, 78, 137)
MUTED = (70, 70, 70)


def qr_image(url: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB")


class Certificate:
    def __init__(
        self, view: CredentialView, links: Links, lang: str, wallet_offer: str | None = None
    ) -> None:
        self.view, self.links, self.lang = view, links, lang
        self.wallet_offer = wallet_offer
        self.words = LABELS[lang]
        self.languages = preferred(lang)
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.unicode = add_dejavu(self.pdf)

    def render(self) -> bytes:
        pdf = self.pdf
        pdf.set_title(f"{self.words['certificate']}: {self._badge_name()}")
        pdf.set_lang(self.lang)
        pdf.set_creator("odznaka-graph")
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.add_page()
        self._header()
        self._who_and_what()
        self._details()
        self._outcomes()
        self._verification()
        return bytes(pdf.output())

    def _text(self, value: str) -> str:
        return value if self.unicode else _latin1(value)

    def _font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font("DejaVu" if self.unicode else "Helvetica", "B" if bold else "", size)

    def _line(self, value: str, size: float, bold: bool = False, height: float = 8) -> None:
        self._font(size, bold)
        self.pdf.multi_cell(
            0, height, self._text(value), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def _badge_name(self) -> str:
        return pick(self.view.badge.names, self.languages) or ""

    def _header(self) -> None:
        pdf = self.pdf
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 0, 210, 28, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_xy(15, 9)
        self._font(20, bold=True)
        pdf.cell(0, 10, self._text(f"{self.words['site']} · {self.words['certificate']}"))
        pdf.set_text_color(0, 0, 0)
        badge = self.view.badge.record
        image = artwork.badge_png(badge.id, self._badge_name())
        pdf.image(io.BytesIO(image), x=85, y=34, w=40, alt_text=self._badge_name())
        pdf.set_y(80)

    def _who_and_what(self) -> None:
        holder = self.view.holder
        self.pdf.set_text_color(*MUTED)
        self._line(self.words["certifies"], 12)
        self.pdf.set_text_color(0, 0, 0)
        self._line(holder.display_name if holder else "", 24, bold=True, height=12)
        self.pdf.set_text_color(*MUTED)
        self._line(self.words["earned"], 12)
        self.pdf.set_text_color(*ACCENT)
        self._line(self._badge_name(), 20, bold=True, height=10)
        self.pdf.set_text_color(0, 0, 0)
        issuer = self.view.badge.issuer
        if issuer is not None:
            name = pick(issuer.names, self.languages) or ""
            self._line(f"{self.words['issuer']}: {name}", 12)
        self.pdf.ln(4)

    def _details(self) -> None:
        award, badge = self.view.award, self.view.badge.record
        rows = [
            (self.words["issued"], long_date(award.issued_at, self.lang)),
            (self.words["valid_until"], _until(award.expires_at, self.lang, self.words)),
        ]
        if badge.workload_hours:
            rows.append((self.words["workload"], f"{badge.workload_hours:g} {self.words['hours']}"))
        if badge.form:
            rows.append((self.words["form"], self.words.get(badge.form, badge.form)))
        if badge.eqf_level or badge.pqf_level:
            rows.append((self.words["eqf"], str(badge.eqf_level or badge.pqf_level)))
        for label, value in rows:
            self.pdf.set_x(40)
            self._font(11, bold=True)
            self.pdf.cell(55, 7, self._text(label))
            self._font(11)
            self.pdf.cell(0, 7, self._text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(3)

    def _outcomes(self) -> None:
        outcomes = self.view.badge.outcomes[:MAX_OUTCOMES]
        if not outcomes:
            return
        self._font(13, bold=True)
        self.pdf.set_x(20)
        self.pdf.cell(0, 8, self._text(self.words["outcomes"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._font(10)
        for outcome in outcomes:
            skill = pick(outcome.skill_names, self.languages)
            description = pick(outcome.descriptions, self.languages) or ""
            text = f"• {skill}: {description}" if skill else f"• {description}"
            self.pdf.set_x(22)
            self.pdf.multi_cell(
                168, 5.5, self._text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )

    def _verification(self) -> None:
        pdf, url = self.pdf, self.links.credential_page(self.view.award.id)
        top = max(pdf.get_y() + 6, 232)
        if top > 250:
            pdf.add_page()
            top = 30
        pdf.image(qr_image(url), x=20, y=top, w=40, alt_text=url)
        pdf.set_xy(66, top + 6)
        self._font(11, bold=True)
        pdf.cell(0, 6, self._text(self.words["verify_at"]), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._font(9)
        pdf.set_text_color(*ACCENT)
        pdf.cell(0, 6, url, link=url, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 6, self._text(f"{self.words['credential_id']}: {self.view.award.id}"))
        pdf.set_text_color(0, 0, 0)
        if self.wallet_offer:
            self._wallet(top + 44)

    def _wallet(self, top: float) -> None:
        """The holder's single-use wallet offer (OpenID4VCI): a QR code with the offer only;
        its transaction code never goes in the PDF."""
        pdf, offer = self.pdf, self.wallet_offer or ""
        if top > 250:
            pdf.add_page()
            top = 30
        pdf.image(qr_image(offer), x=20, y=top, w=40, alt_text=self.words["wallet"])
        pdf.set_xy(66, top + 6)
        self._font(11, bold=True)
        pdf.cell(0, 6, self._text(self.words["wallet"]), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._font(9)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(120, 5, self._text(self.words["wallet_hint"]), new_x=XPos.LEFT)
        pdf.set_text_color(0, 0, 0)


def _until(expires: datetime | None, lang: str, words: dict[str, str]) -> str:
    return long_date(expires, lang) if expires else words["no_expiry"]


def _latin1(value: str) -> str:
    simplified = value.replace("ł", "l").replace("Ł", "L").replace("•", "-")
    decomposed = unicodedata.normalize("NFKD", simplified)
    return decomposed.encode("latin-1", "ignore").decode("latin-1")


def certificate_pdf(
    view: CredentialView, links: Links, lang: str, wallet_offer: str | None = None
) -> bytes:
    """The certificate; with the holder's wallet offer URI when they asked for one."""
    return Certificate(view, links, lang, wallet_offer).render()
