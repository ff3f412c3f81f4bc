"""How a Curated List brochure looks: fonts, colours, the cover and one A4 page per listing.

Fonts: DejaVu Sans (regular and bold) from the usual system font folders, else matplotlib's copy
when matplotlib is installed — both have Cyrillic. Without either, reportlab's bundled Vera is
used: Latin only, so Russian text would show empty boxes (logged as a warning), and without that
too the built-in Helvetica (Latin only as well).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)  # fmt: skip

log = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
COVER_BAND = 85 * mm
LISTING_BAND = 32 * mm
FOOTER = 16 * mm
NAVY = colors.HexColor("#1F3A5F")
GOLD = colors.HexColor("#C9A227")
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#6B7280")
LIGHT = colors.HexColor("#F1F3F6")

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts", "/usr/local/share/fonts", "/Library/Fonts",
)  # fmt: skip


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    cyrillic: bool
    source: str


@dataclass(frozen=True)
class Cover:
    heading: str  # the brokerage, or the broker when no brokerage name is set
    title: str
    buyer_name: str
    criteria: list[tuple[str, str]]
    summary: str  # "5 properties selected · 10 March 2026"
    prepared_by: str


@dataclass(frozen=True)
class ListingPage:
    kicker: str  # "Property 1 of 5"
    title: str
    price: str
    reference: str
    facts: list[tuple[str, str]]
    reasons_heading: str
    reasons: list[str]
    description_heading: str
    description: str
    footer_left: str


def _matplotlib_font_dir() -> str | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf")


@lru_cache(maxsize=1)
def brochure_fonts() -> Fonts:
    """Registers the best available fonts once per process (see the module docstring)."""
    dirs = [*FONT_DIRS, _matplotlib_font_dir()]
    for folder in filter(None, dirs):
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.is_file():
            return _register("Brochure", regular, bold if bold.is_file() else regular, True)
    import reportlab

    bundled = Path(reportlab.__file__).parent / "fonts"
    log.warning("DejaVu Sans not found: brochures cannot show Cyrillic text")
    if (bundled / "Vera.ttf").is_file():
        return _register("BrochureVera", bundled / "Vera.ttf", bundled / "VeraBd.ttf", False)
    return Fonts("Helvetica", "Helvetica-Bold", False, "built-in Helvetica")


def _register(name: str, regular: Path, bold: Path, cyrillic: bool) -> Fonts:
    pdfmetrics.registerFont(TTFont(name, str(regular)))
    pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold)))
    return Fonts(name, f"{name}-Bold", cyrillic, str(regular))


def _styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=14, textColor=INK)
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=9, leading=12),
        "label": ParagraphStyle("label", parent=base, fontName=fonts.bold, textColor=MUTED),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=fonts.bold, fontSize=12, leading=16, textColor=NAVY,
            spaceBefore=8, spaceAfter=4,
        ),
        "price": ParagraphStyle(
            "price", parent=base, fontName=fonts.bold, fontSize=28, leading=34, textColor=NAVY,
            spaceAfter=2,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=12, bulletIndent=0, spaceAfter=2,
            bulletFontName=fonts.bold, bulletColor=GOLD,
        ),
    }  # fmt: skip


def _text(value: str) -> str:
    """Plain text made safe for Paragraph markup (client text is data, never markup)."""
    return escape(value).replace("\n", "<br/>")


def _fact_table(rows: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    width = PAGE_WIDTH - 2 * MARGIN
    data = [
        [Paragraph(_text(k), styles["label"]), Paragraph(_text(v), styles["body"])] for k, v in rows
    ]
    table = Table(data, colWidths=[45 * mm, width - 45 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 0), (-1, -1), [LIGHT, colors.white]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#D9DDE3")),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _cover_story(cover: Cover, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    if cover.criteria:
        story += [_fact_table(cover.criteria, styles), Spacer(1, 8 * mm)]
    story.append(Paragraph(_text(cover.summary), styles["body"]))
    story.append(Paragraph(_text(cover.prepared_by), styles["muted"]))
    return story


def _listing_story(page: ListingPage, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(_text(page.price), styles["price"]),
        Paragraph(_text(page.reference), styles["muted"]),
        Spacer(1, 4 * mm),
        _fact_table(page.facts, styles),
    ]
    if page.reasons:
        story.append(Paragraph(_text(page.reasons_heading), styles["heading"]))
        story += [Paragraph(_text(r), styles["bullet"], bulletText="•") for r in page.reasons]
    if page.description:
        story.append(Paragraph(_text(page.description_heading), styles["heading"]))
        story.append(Paragraph(_text(page.description), styles["body"]))
    return story


class _BrochureDoc(BaseDocTemplate):
    """A4: a cover, then exactly one page per listing (each body shrinks to fit its page)."""

    def __init__(
        self, path: Path, cover: Cover, pages: list[ListingPage], fonts: Fonts, page_word: str
    ) -> None:
        super().__init__(
            str(path), pagesize=A4, title=f"{cover.title} — {cover.buyer_name}",
            author=cover.prepared_by, subject=cover.title, creator="Broker Copilot",
        )  # fmt: skip
        self.cover, self.listing_pages, self.fonts, self.page_word = cover, pages, fonts, page_word
        width = PAGE_WIDTH - 2 * MARGIN
        below_cover = PAGE_HEIGHT - COVER_BAND - 10 * mm
        below_band = PAGE_HEIGHT - LISTING_BAND - 8 * mm
        self.body_height = below_band - FOOTER
        self.cover_height = below_cover - FOOTER
        self.addPageTemplates(
            [
                PageTemplate("cover", [_frame(width, self.cover_height)], onPage=self._draw_cover),
                PageTemplate("listing", [_frame(width, self.body_height)],
                             onPage=self._draw_listing),
            ]
        )  # fmt: skip

    @property
    def total_pages(self) -> int:
        return 1 + len(self.listing_pages)

    def _draw_cover(self, canvas: Canvas, _doc: Any) -> None:
        top = PAGE_HEIGHT
        canvas.saveState()
        canvas.setFillColor(NAVY)
        canvas.rect(0, top - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
        canvas.setFillColor(GOLD)
        canvas.rect(0, top - COVER_BAND - 2 * mm, PAGE_WIDTH, 2 * mm, stroke=0, fill=1)
        canvas.setFont(self.fonts.bold, 11)
        canvas.drawString(MARGIN, top - 20 * mm, self.cover.heading.upper())
        canvas.setFillColor(colors.white)
        _fit_string(canvas, self.fonts.bold, 30, MARGIN, top - 45 * mm, self.cover.title)
        _fit_string(canvas, self.fonts.regular, 20, MARGIN, top - 60 * mm, self.cover.buyer_name)
        canvas.restoreState()
        self._draw_footer(canvas, self.cover.heading)

    def _draw_listing(self, canvas: Canvas, _doc: Any) -> None:
        number = canvas.getPageNumber()
        page = self.listing_pages[min(number - 2, len(self.listing_pages) - 1)]
        top = PAGE_HEIGHT
        canvas.saveState()
        canvas.setFillColor(NAVY)
        canvas.rect(0, top - LISTING_BAND, PAGE_WIDTH, LISTING_BAND, stroke=0, fill=1)
        canvas.setFillColor(GOLD)
        canvas.rect(0, top - LISTING_BAND - 1.5 * mm, PAGE_WIDTH, 1.5 * mm, stroke=0, fill=1)
        canvas.setFont(self.fonts.bold, 9)
        canvas.drawString(MARGIN, top - 11 * mm, page.kicker.upper())
        canvas.setFillColor(colors.white)
        _fit_string(canvas, self.fonts.bold, 20, MARGIN, top - 23 * mm, page.title)
        canvas.restoreState()
        self._draw_footer(canvas, page.footer_left)

    def _draw_footer(self, canvas: Canvas, left: str) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#D9DDE3"))
        canvas.line(MARGIN, FOOTER - 4 * mm, PAGE_WIDTH - MARGIN, FOOTER - 4 * mm)
        canvas.setFont(self.fonts.regular, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, FOOTER - 9 * mm, left)
        label = f"{self.page_word} {canvas.getPageNumber()} / {self.total_pages}"
        canvas.drawRightString(PAGE_WIDTH - MARGIN, FOOTER - 9 * mm, label)
        canvas.restoreState()


def _frame(width: float, height: float) -> Frame:
    """A frame without padding, so a KeepInFrame of its exact size always fits it."""
    return Frame(MARGIN, FOOTER, width, height, 0, 0, 0, 0)


def _fit_string(canvas: Canvas, font: str, size: float, x: float, y: float, text: str) -> None:
    """One line, made smaller (down to 60%) and then cut with "…" so it never leaves the page."""
    room = PAGE_WIDTH - x - MARGIN
    while size > 12 and pdfmetrics.stringWidth(text, font, size) > room:
        size -= 1
    while len(text) > 4 and pdfmetrics.stringWidth(text, font, size) > room:
        text = text[:-2].rstrip() + "…"
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def write_brochure(
    path: Path, *, cover: Cover, pages: list[ListingPage], page_word: str = "Page"
) -> Fonts:
    """Writes the PDF to `path`; returns the fonts used (so callers can tell about Cyrillic)."""
    fonts = brochure_fonts()
    styles = _styles(fonts)
    doc = _BrochureDoc(path, cover, pages, fonts, page_word)
    width = PAGE_WIDTH - 2 * MARGIN
    # Each page's content shrinks to its frame: the page count is always 1 + listings.
    story: list[Flowable] = [
        KeepInFrame(width, doc.cover_height - 1, _cover_story(cover, styles), mode="shrink"),
        NextPageTemplate("listing"),
    ]
    for page in pages:
        story.append(PageBreak())
        body = KeepInFrame(width, doc.body_height - 1, _listing_story(page, styles), mode="shrink")
        story.append(body)
    doc.build(story)
    return fonts
