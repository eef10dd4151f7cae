"""The visible signature stamp: its text, style and the DejaVu font subset pyHanko draws it in."""

from __future__ import annotations

import functools
import io
from contextlib import suppress
from pathlib import Path
from typing import Any

from checklist_app.export.errors import SigningError
from checklist_app.shipped import resource_path

STAMP_TEXT = "%(meaning)s\nDigitally signed by %(signer)s\n%(ts)s"
STAMP_TIME_FORMAT = "%Y-%m-%d %H:%M %Z"
STAMP_FONT_SIZE = 9


def stamp_style(text: str) -> Any:
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _StampFont(text)
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        timestamp_format=STAMP_TIME_FORMAT,
        # The engine and the text box must share one size, or lines drift (pyHanko issue #733).
        text_box_style=TextBoxStyle(font=font, font_size=STAMP_FONT_SIZE),  # type: ignore[arg-type]  # duck-typed
        border_width=1,
        # Long names shrink to fit the box the layout reserved instead of running past its edge.
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(4),  # type: ignore[no-untyped-call]  # pyHanko is untyped here
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


class _StampFont:
    """pyHanko font-engine factory drawing the stamp in DejaVu Sans rescaled to 1000 units per em.

    The base-14 Courier cannot draw "Ł" or Greek, so the stamp embeds a Unicode TrueType font.
    pyHanko 0.38 writes a TrueType font's advance widths into /W in font units, but PDF reads /W
    in thousandths of an em: DejaVu's 2048-unit em made every glyph twice as wide in poppler and
    Adobe.  Subsetting to the characters in use and rescaling to 1000 units costs ~0.1 s and makes
    the numbers agree.
    """

    def __init__(self, text: str) -> None:
        self._text = text

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_for(self._text)),
            font_size=STAMP_FONT_SIZE,
            obj_stream=obj_stream,
        )


# Printable ASCII covers the time-stamp pyHanko formats after this point (digits, zone letters).
_STAMP_ASCII = frozenset(map(chr, range(0x20, 0x7F)))


def _font_for(text: str) -> bytes:
    # Subsetting and rescaling DejaVu costs ~0.2 s of CPU, more than the rest of a signature (bench/RESULTS.md).
    # The result depends only on the set of characters, which for most names is printable ASCII alone,
    # so it is computed once per distinct set and reused.
    return _subset_font(frozenset(text) | _STAMP_ASCII)


@functools.lru_cache(maxsize=32)
def _subset_font(chars: frozenset[str]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(_stamp_font_path()))
    options = subset.Options()
    options.layout_features = ["kern"]
    options.hinting = False  # hinting programs do not survive rescaling, and a stamp needs none
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _stamp_font_path() -> Path:
    with suppress(FileNotFoundError):  # the shipped files' package itself is missing
        if (font := Path(resource_path("fonts", "DejaVuSans.ttf"))).is_file():
            return font
    raise SigningError("The signature stamp font (DejaVuSans.ttf) is missing from the installation.")
