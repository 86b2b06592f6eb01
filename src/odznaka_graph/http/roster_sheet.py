"""The printable sheet of a class's sign-in slips (issue 15): one slip per pupil with
their name, handle, one-time code and a QR code of the redeem link, eight to an A4 page.
Only the class's teachers (and the school's admins) get it, with their bearer token;
printing gives the pupils who have not signed in yet new codes. Rendered in a worker
thread: the PDF and QR codes cost CPU the event loop must not wait for."""

import asyncio
import io

from fpdf import FPDF
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from odznaka_graph.errors import DomainError, PermissionDenied, Unauthenticated, ValidationFailed
from odznaka_graph.i18n import pick
from odznaka_graph.ids import local_id
from odznaka_graph.services.pupils import Sheet, Slip, redeem_url, shown_code
from odznaka_graph.services.registry import Services
from odznaka_graph.sharing.certificate import qr_image
from odznaka_graph.sharing.fonts import add_dejavu
from odznaka_graph.sharing.routes import _viewer

SLIP_W, SLIP_H = 95.0, 68.0  # mm: 2 × 4 slips on A4 with 10 mm margins
COLUMNS, ROWS = 2, 4


class SlipSheet:
    def __init__(self, sheet: Sheet, base_url: str) -> None:
        self.sheet, self.base_url = sheet, base_url
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.unicode = add_dejavu(self.pdf)
        self.class_name = pick(sheet.class_names, ("pl", "en")) or ""

    def render(self) -> bytes:
        self.pdf.set_title(f"Odznaka+ · {self.class_name}")
        self.pdf.set_creator("odznaka-graph")
        self.pdf.set_auto_page_break(auto=False)
        for index, slip in enumerate(self.sheet.slips):
            if index % (COLUMNS * ROWS) == 0:
                self.pdf.add_page()
            place = index % (COLUMNS * ROWS)
            self._slip(slip, 10 + (place % COLUMNS) * SLIP_W, 10 + (place // COLUMNS) * SLIP_H)
        if not self.sheet.slips:
            self.pdf.add_page()
            self._font(12)
            self.pdf.cell(0, 10, self._text("Wszyscy uczniowie są już zalogowani."))
        return bytes(self.pdf.output())

    def _slip(self, slip: Slip, x: float, y: float) -> None:
        pdf = self.pdf
        pdf.set_draw_color(160, 160, 160)
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.rect(x, y, SLIP_W, SLIP_H)
        pdf.set_dash_pattern()
        link = redeem_url(self.base_url, slip.code)
        image = io.BytesIO()
        qr_image(link).save(image, format="PNG")
        pdf.image(image, x=x + SLIP_W - 38, y=y + 4, w=34, alt_text=link)
        lines = [
            (f"Odznaka+ · {self.class_name}", 9, False),
            (slip.name, 13, True),
            (f"Login: {slip.handle}", 10, False),
            (f"Kod / Code: {shown_code(slip.code)}", 12, True),
            (f"Ważny do / Valid until: {slip.expires_at:%Y-%m-%d}", 8, False),
            ("Zeskanuj kod QR i ustaw hasło.", 8, False),
            ("Scan the QR code and set a password.", 8, False),
        ]
        pdf.set_xy(x + 4, y + 5)
        for text, size, bold in lines:
            self._font(size, bold)
            pdf.set_x(x + 4)
            pdf.cell(SLIP_W - 44, size * 0.6, self._text(text), new_x="LEFT", new_y="NEXT")
        self._font(7)
        pdf.set_xy(x + 4, y + SLIP_H - 8)
        pdf.cell(SLIP_W - 8, 4, self._text(link))

    def _font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font("DejaVu" if self.unicode else "Helvetica", "B" if bold else "", size)

    def _text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.encode("latin-1", "replace").decode("latin-1")


def render_sheet(sheet: Sheet, base_url: str) -> bytes:
    return SlipSheet(sheet, base_url).render()


async def sign_in_sheet(request: Request) -> Response:
    services: Services = request.app.state.runtime.services
    viewer = await _viewer(request)
    team_id = local_id(request.path_params["team_id"], "Team")
    try:
        if viewer.id is None:
            raise Unauthenticated()
        if team_id is None:
            return JSONResponse({"error": "No such team."}, 404)
        sheet = await services.pupils.sheet(viewer, team_id)
    except DomainError as error:
        return JSONResponse({"error": error.message}, _status(error))
    base = services.stores.settings.public_base_url
    pdf = await asyncio.to_thread(render_sheet, sheet, base)
    headers = {
        "Content-Disposition": 'inline; filename="sign-in-slips.pdf"',
        "Cache-Control": "private, no-store",
    }
    return Response(pdf, headers=headers, media_type="application/pdf")


def _status(error: DomainError) -> int:
    statuses = {Unauthenticated: 401, PermissionDenied: 403, ValidationFailed: 400}
    return next((code for kind, code in statuses.items() if isinstance(error, kind)), 404)


ROUTES = [Route("/teams/{team_id}/sign-in-sheet.pdf", sign_in_sheet, methods=["POST"])]
