"""A small PNG bar chart of who did how much, drawn with Pillow (headless, no plotting stack).

Pillow is imported when a chart is drawn, not at start-up, so the bot starts as fast without it.
Its labels are in the current language: draw it in the context that set the language (a worker
thread has its own, so hand it the caller's, as `asyncio.to_thread` does).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ui.i18n import _

MAX_ROWS = 20
WIDTH = 800
ROW = 34
TOP = 70
LEFT = 190
RIGHT = 40
SHIFT_COLOUR = (67, 160, 71)
TURN_COLOUR = (251, 140, 0)
INK = (33, 33, 33)
GRID = (224, 224, 224)


@dataclass(frozen=True, slots=True)
class Bar:
    name: str
    shifts: int
    turns: int


def bar_chart(bars: Sequence[Bar], *, title: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    rows = list(bars[:MAX_ROWS])
    height = TOP + max(len(rows), 1) * ROW + 40
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=12)
    draw.text((20, 16), title, fill=INK, font=ImageFont.load_default(size=20))
    shifts_label = _("shifts")
    draw.rectangle((LEFT, 48, LEFT + 14, 60), fill=SHIFT_COLOUR)
    draw.text((LEFT + 20, 46), shifts_label, fill=INK, font=small)
    second = max(LEFT + 90, round(LEFT + 20 + draw.textlength(shifts_label, font=small) + 16))  # room for a long word
    draw.rectangle((second, 48, second + 14, 60), fill=TURN_COLOUR)
    draw.text((second + 20, 46), _("facilitation turns"), fill=INK, font=small)
    most = max([1, *(max(b.shifts, b.turns) for b in rows)])
    span = WIDTH - LEFT - RIGHT
    for step in range(0, most + 1, max(1, most // 5)):
        x = LEFT + span * step / most
        draw.line((x, TOP - 4, x, height - 36), fill=GRID)
        draw.text((x - 4, height - 30), str(step), fill=INK, font=small)
    if not rows:
        draw.text((LEFT, TOP + 6), _("Nothing recorded in this period yet."), fill=INK, font=font)
    for index, bar in enumerate(rows):
        y = TOP + index * ROW
        name = bar.name if len(bar.name) <= 22 else bar.name[:21] + "…"
        draw.text((20, y + 8), name, fill=INK, font=font)
        for offset, value, colour in ((2, bar.shifts, SHIFT_COLOUR), (16, bar.turns, TURN_COLOUR)):
            if value:
                draw.rectangle((LEFT, y + offset, LEFT + span * value / most, y + offset + 12), fill=colour)
                draw.text((LEFT + span * value / most + 4, y + offset - 1), str(value), fill=INK, font=small)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
