"""What cleaning an uploaded badge picture costs (issue 15, services/image_files.py): the
time per picture of each kind at the default limits, how fast a decompression bomb is
refused, and how long the event loop stalls while four uploads are cleaned at once in
worker threads (as the API does) against on the loop.

    uv run python bench/uploads.py

Prints milliseconds per picture (median of REPEAT) and the longest gap a 1 ms ticker saw."""

import asyncio
import io
import random
import statistics
import struct
import time
import zlib
from collections.abc import Callable

from PIL import Image

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.services.image_files import Limits, clean_picture
from odznaka_graph.settings import Settings

REPEAT = 5
CONCURRENT = 4


def _noise(side: int, kind: str, quality: int = 85) -> bytes:
    """A picture of random blocks: it compresses badly, like a photo."""
    rng = random.Random(7)
    image = Image.new("RGB", (side, side))
    for x in range(0, side, 16):
        for y in range(0, side, 16):
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            image.paste(colour, (x, y, x + 16, y + 16))
    out = io.BytesIO()
    image.save(out, kind, **({"quality": quality} if kind == "JPEG" else {}))
    return out.getvalue()


SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">
<defs><linearGradient id="g"><stop offset="0" stop-color="#fc0"/><stop offset="1"
stop-color="#c60"/></linearGradient></defs>
<circle cx="100" cy="100" r="90" fill="url(#g)" stroke="#630" stroke-width="8"/>
<text x="100" y="115" font-size="40" text-anchor="middle">Odznaka</text></svg>"""


def _bomb(side: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 9))


def _median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        try:
            work()
        except ValidationFailed:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def _stall(data: bytes, limits: Limits, threaded: bool) -> float:
    stop, gaps = asyncio.Event(), list[float]()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)

    async def one() -> None:
        if threaded:
            await asyncio.to_thread(clean_picture, data, limits)
        else:
            clean_picture(data, limits)

    await asyncio.gather(*(one() for _ in range(CONCURRENT)))
    stop.set()
    await task
    return max(gaps) * 1000


async def main() -> None:
    settings = Settings()
    limits = Limits(10_000_000, settings.image_max_side, settings.image_svg_render_side)
    side = settings.image_max_side
    pictures = {
        f"PNG {side}×{side}": _noise(side, "PNG"),
        f"JPEG {side}×{side}": _noise(side, "JPEG"),
        "JPEG 512×512": _noise(512, "JPEG"),
        "SVG with text": SVG,
        "PNG bomb 100000×100000 (refused)": _bomb(100_000),
    }
    print(f"{'picture':<36} {'bytes':>9} {'ms':>8}")
    for name, data in pictures.items():
        ms = _median_ms(lambda data=data: clean_picture(data, limits))  # type: ignore[misc]
        print(f"{name:<36} {len(data):>9} {ms:>8.1f}")
    jpeg = pictures[f"JPEG {side}×{side}"]
    for threaded in (False, True):
        gap = await _stall(jpeg, limits, threaded)
        where = "worker threads" if threaded else "on the loop"
        print(f"loop stall, {CONCURRENT} JPEG {side}² cleaned {where}: {gap:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
