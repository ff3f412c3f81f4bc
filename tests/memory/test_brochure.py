"""The Curated List brochure: a cover and one page per listing, readable, private, laid out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from crm_store.context import Ctx
from crm_store.errors import Forbidden, InvalidInput
from crm_store.models import CuratedList, Listing
from crm_store.repositories.base import add
from memory.brochure import render_brochure
from memory.brochure_layout import brochure_fonts
from tests.conftest import as_broker
from tests.factories import make_buyer_request, make_contact, make_listing
from tests.memory.conftest import Team

SELLER_PHONE = "+35799123456"
A4_POINTS = (595.28, 841.89)
SCALE = 100 / 72  # render at 100 dpi


@dataclass
class Setup:
    curated: CuratedList
    listings: list[Listing]


@pytest.fixture
def setup(ctx: Ctx, team: Team) -> Setup:
    buyer = make_contact(ctx, owner=team.anna, full_name="Ольга Смирнова")
    seller = make_contact(ctx, owner=team.boris, full_name="Maria Ioannou", phones=[SELLER_PHONE])
    request = make_buyer_request(
        ctx,
        owner=team.anna,
        buyer=buyer,
        budget_min=Decimal("400000"),
        budget_max=Decimal("550000"),
        cities=["Limassol"],
        districts=["Germasogeia"],
        property_types=["villa", "apartment"],
        bedrooms_min=3,
        must_haves=["sea_view"],
        wishes="quiet street, close to schools",
    )
    listings = [
        make_listing(
            ctx,
            owner=team.boris,  # a colleague's listing: shown, but never its seller
            seller=seller,
            property_type="villa",
            price=Decimal("520000"),
            bedrooms=3,
            bathrooms=2,
            area_m2=Decimal("180"),
            features=["sea_view", "pool"],
            description=(
                "A bright villa on a quiet street with sea views from every room. "
                "Call the owner Maria Ioannou on +357 99 123456 for the keys. "
                "Five minutes to the Foley's school."
            ),
        ),
        make_listing(
            ctx, owner=team.anna, price=Decimal("455000"), bedrooms=3, description="A flat."
        ),
        make_listing(
            ctx, owner=team.anna, district="Agios Tychonas", price=Decimal("540000"), bedrooms=4
        ),
    ]
    reasons = [
        ["€520k within budget", "3 bedrooms", "sea view: must-have, present", "described as quiet"],
        ["€455k within budget", "3 bedrooms"],
        ["€540k within budget", "4 bedrooms"],
    ]
    curated = add(
        ctx,
        CuratedList(
            owner=team.anna.id,
            buyer_request=request.id,
            items=[
                {"listing": listing.id, "rank": rank, "score": 0.8, "reasons": reasons[rank - 1]}
                for rank, listing in enumerate(listings, start=1)
            ],
            created_at=ctx.now(),
        ),
    )
    return Setup(curated, listings)


@pytest.fixture
def anna(ctx: Ctx, team: Team) -> Ctx:
    return as_broker(ctx, team.anna)


def _pages_text(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture
def brochure(anna: Ctx, setup: Setup, tmp_path: Path) -> Iterator[Path]:
    yield render_brochure(anna, curated_list_id=setup.curated.id, out_dir=tmp_path / "brochures")


def test_a_cover_and_one_page_per_listing_under_out_dir(
    brochure: Path, setup: Setup, tmp_path: Path
) -> None:
    assert brochure.parent == tmp_path / "brochures"
    assert brochure.name == f"curated-{setup.curated.id}-olga-smirnova.pdf"
    assert len(_pages_text(brochure)) == 1 + len(setup.curated.items)
    assert [p.name for p in brochure.parent.iterdir()] == [brochure.name]  # no leftovers
    assert setup.curated.sent_at is None  # the channels mark it sent


def test_the_cover_shows_the_buyer_in_cyrillic_and_the_criteria(brochure: Path) -> None:
    cover = _pages_text(brochure)[0]
    assert brochure_fonts().cyrillic, "DejaVu Sans should be found on this system"
    assert "Ольга Смирнова" in cover
    for expected in ("€400,000", "€550,000", "Germasogeia", "Villa", "3+", "sea view", "schools"):
        assert expected in cover
    assert "Page 1 / 4" in cover


def test_a_listing_page_has_its_price_facts_and_reasons_but_no_seller(
    brochure: Path, setup: Setup
) -> None:
    page = _pages_text(brochure)[1]
    for expected in (
        "€520,000",
        "Villa in Germasogeia, Limassol",
        "180 m²",
        "sea view, pool",
        "€520k within budget",
        "described as quiet",
        setup.listings[0].id,
        "sea views from every room",
        "Page 2 / 4",
    ):
        assert expected in page
    everything = " ".join(_pages_text(brochure))
    for secret in ("Maria", "Ioannou", "123456", "99 12", SELLER_PHONE):
        assert secret not in everything


def test_a_russian_brochure_speaks_russian(anna: Ctx, setup: Setup, tmp_path: Path) -> None:
    path = render_brochure(anna, curated_list_id=setup.curated.id, out_dir=tmp_path, language="ru")
    cover, first = _pages_text(path)[:2]
    assert "Подборка объектов" in cover and "Лимассол" in cover and "Ольга Смирнова" in cover
    assert "Вилла — Гермасойя, Лимассол" in first and "10 марта 2026" in cover
    assert "€520 000" in first and "Почему подходит" in first


def test_a_long_description_still_fits_one_page(
    ctx: Ctx, anna: Ctx, setup: Setup, tmp_path: Path
) -> None:
    setup.listings[1].description = "A very long sentence about the property and its views. " * 120
    setup.curated.items = [
        {**item, "reasons": [f"reason number {n}" for n in range(12)]}
        for item in setup.curated.items
    ]
    ctx.session.flush()
    path = render_brochure(anna, curated_list_id=setup.curated.id, out_dir=tmp_path)
    pages = _pages_text(path)
    assert len(pages) == 4
    assert "…" in pages[2]  # the description was cut, not spilled onto another page


def test_listings_no_longer_on_the_market_are_left_out(
    ctx: Ctx, anna: Ctx, setup: Setup, tmp_path: Path
) -> None:
    setup.listings[2].stage = "sold"
    ctx.session.flush()
    path = render_brochure(anna, curated_list_id=setup.curated.id, out_dir=tmp_path)
    assert len(_pages_text(path)) == 3
    for listing in setup.listings[:2]:
        listing.stage = "withdrawn"
    ctx.session.flush()
    with pytest.raises(InvalidInput):
        render_brochure(anna, curated_list_id=setup.curated.id, out_dir=tmp_path)


def test_a_colleague_cannot_print_someone_elses_list(
    ctx: Ctx, team: Team, setup: Setup, tmp_path: Path
) -> None:
    with pytest.raises(Forbidden):
        render_brochure(
            as_broker(ctx, team.boris), curated_list_id=setup.curated.id, out_dir=tmp_path
        )
    assert not list(tmp_path.glob("*.pdf"))


def _render(path: Path, index: int, out: Path) -> Image.Image:
    pdf = pdfium.PdfDocument(path)
    try:
        image = pdf[index].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    image.save(out)
    return image


def _dark_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Share of pixels in `box` that are clearly not white (ink, the band, colour)."""
    gray = image.crop(box).convert("L")
    histogram = gray.histogram()  # 256 counts of gray levels
    return sum(histogram[:200]) / sum(histogram)


@pytest.mark.parametrize("index", [0, 1])
def test_pages_render_as_a4_with_the_title_band_on_top(
    brochure: Path, tmp_path: Path, index: int
) -> None:
    png = tmp_path / f"page-{index + 1}.png"
    image = _render(brochure, index, png)
    assert png.is_file()
    width, height = image.size
    assert abs(width - A4_POINTS[0] * SCALE) <= 1 and abs(height - A4_POINTS[1] * SCALE) <= 1
    whole = _dark_share(image, (0, 0, width, height))
    assert 0.05 < whole < 0.6, "a page neither blank nor a solid block"
    top = _dark_share(image, (0, 0, width, int(height * 0.15)))
    assert top > 0.6, "the coloured title band spans the top of the page"
    middle = _dark_share(image, (0, int(height * 0.4), width, int(height * 0.6)))
    assert middle < 0.3, "the body is text on white, not more band"
