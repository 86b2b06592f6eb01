"""Uploaded files (issue 15): a club's owners and moderators upload its badge pictures; a
learner uploads evidence for a badge request. Each file is cleaned off the event loop
(services/image_files.py), kept in the SQL store, and served by the API (http/images.py).

Badge pictures are public once uploaded (they are what a badge shows); evidence is seen by
its uploader and by the staff of an organisation a request of theirs went to."""

import asyncio
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound, RateLimited
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import images, issuers
from odznaka_graph.ledger.badge_requests import badge_requests
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import UploadReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.clubs import visible_club
from odznaka_graph.services.image_files import CleanFile, Limits, clean_evidence, clean_picture
from odznaka_graph.services.permissions import Action, require, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.settings import Settings

DAY = timedelta(days=1)
BADGE_IMAGE = "BADGE_IMAGE"
EVIDENCE = "EVIDENCE"


@dataclass(frozen=True)
class Uploaded:
    id: str
    content_type: str
    width: int | None
    height: int | None
    size: int


@dataclass(frozen=True)
class Served:
    content_type: str
    data: bytes
    sha256: str
    public: bool


def image_path(file_id: str) -> str:
    return f"/files/{file_id}"


def file_url(settings: Settings, file_id: str | None) -> str | None:
    """The absolute address the API serves a file at."""
    if file_id is None:
        return None
    return settings.public_base_url.rstrip("/") + image_path(file_id)


class ImageService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    def url(self, file_id: str) -> str:
        return file_url(self.stores.settings, file_id) or ""

    async def upload_badge_image(self, viewer: Viewer, club_id: str, data: bytes) -> Uploaded:
        """A picture for the club's badges (its owners and moderators only)."""
        club = await visible_club(self.stores.graph, viewer, club_id)
        require(Action.UPLOAD_CLUB_IMAGES, viewer, club.viewer_role)
        await self._within_daily_limit(viewer)
        settings = self.stores.settings
        limits = Limits(
            settings.image_max_bytes, settings.image_max_side, settings.image_svg_render_side
        )
        clean = await asyncio.to_thread(clean_picture, data, limits)
        return await self._store(viewer, BADGE_IMAGE, club.id, clean)

    async def upload_evidence(self, viewer: Viewer, data: bytes) -> Uploaded:
        """A file to attach to the viewer's own badge request (a picture or a PDF)."""
        await self._within_daily_limit(viewer)
        settings = self.stores.settings
        limits = Limits(
            settings.evidence_max_bytes, settings.image_max_side, settings.image_svg_render_side
        )
        clean = await asyncio.to_thread(clean_evidence, data, limits)
        return await self._store(viewer, EVIDENCE, None, clean)

    async def _within_daily_limit(self, viewer: Viewer) -> None:
        """Checked before the file is decoded, so refused uploads cost no CPU."""
        owner, limit = signed_in(viewer), self.stores.settings.uploads_max_per_day
        at = now()
        async with self.stores.ledger.reading() as conn:
            recent = await images.uploaded_since(conn, owner, at - DAY)
        if len(recent) >= limit:
            retry = recent[len(recent) - limit] + DAY - at
            raise RateLimited(
                f"At most {limit} uploads in 24 hours.",
                max(1, math.ceil(retry.total_seconds())),
                reason=UploadReason.TOO_MANY_UPLOADS,
            )

    async def _store(
        self, viewer: Viewer, purpose: str, club_id: str | None, clean: CleanFile
    ) -> Uploaded:
        owner = signed_in(viewer)
        file_id = new_id()

        async def work(conn: AsyncConnection) -> Uploaded:
            await images.insert_file(
                conn,
                id=file_id,
                purpose=purpose,
                owner_id=owner,
                club_id=club_id,
                content_type=clean.content_type,
                sha256=clean.sha256,
                data=clean.data,
                width=clean.width,
                height=clean.height,
                at=now(),
            )
            payload = {"id": file_id, "purpose": purpose, "clubId": club_id}
            await record(
                conn,
                actor_id=owner,
                action="file.uploaded",
                subject_type="UploadedFile",
                subject_id=file_id,
                payload=payload | {"contentType": clean.content_type, "size": len(clean.data)},
            )
            return Uploaded(file_id, clean.content_type, clean.width, clean.height, len(clean.data))

        return await self.stores.commit(work)

    async def served(self, viewer: Viewer, file_id: str) -> Served | None:
        """The file for this viewer, or None (no such file, or not theirs to see)."""
        async with self.stores.ledger.reading() as conn:
            row = await images.file_with_data(conn, file_id)
            if row is None:
                return None
            public = row.purpose == BADGE_IMAGE
            if not public and not await _may_see_evidence(conn, viewer, row):
                return None
        return Served(row.content_type, row.data, row.sha256, public)


async def badge_image(conn: AsyncConnection, file_id: str, club_id: str) -> Any:
    """An uploaded picture of this club, for one of its badges; NotFound otherwise."""
    row = await images.file_meta(conn, file_id)
    if row is None or row.purpose != BADGE_IMAGE or row.club_id != club_id:
        raise NotFound(
            "No such picture uploaded for this club.", reason=UploadReason.FILE_NOT_FOUND
        )
    return row


async def own_evidence(conn: AsyncConnection, file_id: str, owner_id: str) -> None:
    """The viewer's own evidence file; NotFound otherwise."""
    row = await images.file_meta(conn, file_id)
    if row is None or row.purpose != EVIDENCE or row.owner_id != owner_id:
        raise NotFound("No such file of yours.", reason=UploadReason.FILE_NOT_FOUND)


async def _may_see_evidence(conn: AsyncConnection, viewer: Viewer, row: Any) -> bool:
    if viewer.id is None:
        return False
    if viewer.id == row.owner_id:
        return True
    query = sa.select(badge_requests.c.organization_id).where(badge_requests.c.file_id == row.id)
    for org_id in (await conn.execute(query)).scalars():
        if await issuers.staff_role(conn, org_id, viewer.id) is not None:
            return True
    return False
