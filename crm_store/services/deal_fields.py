"""Field rules of listings and buyer requests: every value validated and made canonical."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crm_store.context import Ctx
from crm_store.errors import InvalidInput, NotFound
from crm_store.features import find_features, find_property_types
from crm_store.models import BuyerRequest, Contact, Listing
from crm_store.places import CITIES, canonical_place
from crm_store.services.amounts import parse_money
from crm_store.services.permissions import ensure_writable
from crm_store.vocabulary import FEATURES, FINANCING, MANDATES, PROPERTY_TYPES

# Beyond this, a buyer is in the nurturing pool (SPEC §4, "Forecast Rule").
NURTURING_AFTER_MONTHS = 12
# A sanity bound that catches "30" typed for "3.0".
MAX_COMMISSION_PCT = Decimal("20")

LISTING_FIELDS = (
    "seller", "property_type", "city", "district", "address", "price", "bedrooms", "bathrooms",
    "area_m2", "features", "description", "mandate", "commission_pct",
)  # fmt: skip
REQUEST_FIELDS = (
    "buyer", "budget_min", "budget_max", "cities", "districts", "property_types", "bedrooms_min",
    "must_haves", "wishes", "timeline_months", "financing", "expected_commission",
)  # fmt: skip
MANAGED_ELSEWHERE = {
    "stage": ("use move_stage to change a deal's stage", "этап меняется через move_stage"),
    "owner": ("reassigning is a manager's action", "передача сделки — действие менеджера"),
}


def _invalid(field: str, en: str, ru: str) -> InvalidInput:
    return InvalidInput(f"{field}: {en}", f"{field}: {ru}", field=field)


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _count(value: Any, *, field: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if isinstance(value, bool) or number < 0 or number > 1000:
        raise _invalid(
            field,
            f"give a whole number, e.g. 3 (got '{value}').",
            f"нужно целое число, например 3 (получено «{value}»).",
        )
    return number


def _area(value: Any) -> float | None:
    if value is None:
        return None
    try:
        area = float(str(value).replace(",", ".").replace("m2", "").strip())
    except ValueError:
        area = -1.0
    if isinstance(value, bool) or not 0 < area < 1_000_000:
        raise _invalid(
            "area_m2",
            f"give the area in m², e.g. 120 (got '{value}').",
            f"укажите площадь в м², например 120 (получено «{value}»).",
        )
    return area


def _choice(value: Any, allowed: tuple[str, ...], *, field: str) -> str:
    key = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in allowed:
        raise _invalid(
            field,
            f"'{value}' is not allowed; choose one of {', '.join(allowed)}.",
            f"«{value}» не подходит; выберите одно из: {', '.join(allowed)}.",
        )
    return key


def _items(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def _keys(values: Any, allowed: tuple[str, ...], finder: Any, *, field: str) -> list[str]:
    """Vocabulary keys from keys or phrases ("sea view", "вид на море"), in order, no repeats."""
    found: list[str] = []
    for item in _items(values):
        key = item.strip().lower().replace(" ", "_").replace("-", "_")
        keys = [key] if key in allowed else finder(item)
        if not keys:
            raise _invalid(
                field,
                f"'{item}' is not known; use {', '.join(allowed)}.",
                f"«{item}» неизвестно; используйте: {', '.join(allowed)}.",
            )
        found.extend(k for k in keys if k not in found)
    return found


def feature_keys(values: Any) -> list[str]:
    """Feature vocabulary keys from keys or phrases ("sea view" → sea_view); unknown refused."""
    return _keys(values, FEATURES, find_features, field="features")


def _property_type(value: Any) -> str:
    types = _keys(value, PROPERTY_TYPES, find_property_types, field="property_type")
    if len(types) != 1:
        raise _invalid(
            "property_type",
            f"give one of {', '.join(PROPERTY_TYPES)}.",
            f"укажите один тип: {', '.join(PROPERTY_TYPES)}.",
        )
    return types[0]


def _place(value: Any, *, field: str) -> tuple[str, str | None]:
    """(canonical name, its city when a known district) of a city or district."""
    text = _text(value)
    place = canonical_place(text) if text else None
    if place is not None:
        return place.name, (None if place.is_city else place.city)
    if field.startswith("cit"):
        raise _invalid(
            field,
            f"'{value}' is not a city we cover; use {', '.join(CITIES)}.",
            f"«{value}» — не наш город; используйте: {', '.join(CITIES)}.",
        )
    # Villages beyond our vocabulary are kept as the broker wrote them.
    return str(text), None


def _listing_place(city: Any, district: Any) -> tuple[str | None, str | None]:
    city_name = district_name = None
    if _text(city):
        city_name, city_of_district = _place(city, field="city")
        if city_of_district:  # a district given as the city: keep both
            city_name, district_name = city_of_district, city_name
    if _text(district):
        district_name, district_city = _place(district, field="district")
        if district_city and city_name and district_city != city_name:
            raise _invalid(
                "district",
                f"{district_name} is in {district_city}, not {city_name}.",
                f"{district_name} находится в {district_city}, а не в {city_name}.",
            )
        city_name = city_name or district_city
    return city_name, district_name


def _percent(value: Any) -> Decimal | None:
    pct = parse_money(value, field="commission_pct", ceiling=None)
    if pct is not None and not 0 < pct <= MAX_COMMISSION_PCT:
        raise _invalid(
            "commission_pct",
            f"give a percentage up to {MAX_COMMISSION_PCT}, e.g. 3.",
            f"укажите процент до {MAX_COMMISSION_PCT}, например 3.",
        )
    return pct


def client(ctx: Ctx, contact_id: Any, *, field: str) -> Contact:
    contact = ctx.session.get(Contact, str(contact_id)) if contact_id else None
    if contact is None:
        raise NotFound(
            f"There is no contact {contact_id} to be the {field}; register them first.",
            f"Контакта {contact_id} нет; сначала добавьте клиента.",
        )
    ensure_writable(ctx, contact, what="contact")
    return contact


def initial_stage(value: Any, stages: tuple[str, ...]) -> str:
    return _choice(value, stages[:-1], field="stage")  # a new deal cannot start closed


def refuse_managed(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in changes:
        if key in MANAGED_ELSEWHERE:
            en, ru = MANAGED_ELSEWHERE[key]
            raise _invalid(key, f"cannot be edited here: {en}.", f"здесь не меняется: {ru}.")
        if key not in allowed:
            raise _invalid(
                key,
                f"is not editable; editable fields: {', '.join(allowed)}.",
                f"не редактируется; можно менять: {', '.join(allowed)}.",
            )


def clean_listing(ctx: Ctx, raw: dict[str, Any], current: Listing | None) -> dict[str, Any]:
    """Validated listing fields of `raw`, with city and district checked together."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "seller":
            out[key] = client(ctx, value, field="seller").id
        elif key == "property_type":
            out[key] = _property_type(value)
        elif key == "price":
            out[key] = parse_money(value, field="price")
        elif key in ("bedrooms", "bathrooms"):
            out[key] = _count(value, field=key)
        elif key == "area_m2":
            out[key] = _area(value)
        elif key == "features":
            out[key] = _keys(value, FEATURES, find_features, field="features")
        elif key == "mandate":
            out[key] = None if value is None else _choice(value, MANDATES, field="mandate")
        elif key == "commission_pct":
            out[key] = _percent(value)
        elif key in ("address", "description"):
            out[key] = _text(value)
    if "city" in raw or "district" in raw:
        city = raw.get("city", current.city if current else None)
        district = raw.get("district", current.district if current else None)
        out["city"], out["district"] = _listing_place(city, district)
    return out


def _request_budget(raw: dict[str, Any], current: BuyerRequest | None) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for key in ("budget_min", "budget_max", "expected_commission"):
        if key in raw:
            out[key] = parse_money(raw[key], field=key)
    low = out.get("budget_min", current.budget_min if current else None)
    high = out.get("budget_max", current.budget_max if current else None)
    if low is not None and high is not None and low > high:
        raise _invalid(
            "budget_min",
            f"€{low:,.0f} is above budget_max €{high:,.0f}; give the lower figure first.",
            f"€{low:,.0f} больше budget_max €{high:,.0f}; сначала укажите меньшую сумму.",
        )
    return out


def _request_places(raw: dict[str, Any], current: BuyerRequest | None) -> dict[str, list[str]]:
    """Canonical cities and districts; a known district brings its city along."""
    cities = (
        [_place(c, field="cities") for c in _items(raw.get("cities"))] if "cities" in raw else None
    )
    districts = (
        [_place(d, field="districts") for d in _items(raw.get("districts"))]
        if "districts" in raw
        else None
    )
    city_names: list[str] = list(current.cities) if current and cities is None else []
    district_names: list[str] = list(current.districts) if current and districts is None else []
    for name, city_of_district in cities or []:
        if city_of_district:  # a district named as a city
            district_names.append(name)
            name = city_of_district
        city_names.append(name)
    for name, city_of_district in districts or []:
        district_names.append(name)
        if city_of_district:
            city_names.append(city_of_district)
    return {
        "cities": list(dict.fromkeys(city_names)),
        "districts": list(dict.fromkeys(district_names)),
    }


def clean_request(ctx: Ctx, raw: dict[str, Any], current: BuyerRequest | None) -> dict[str, Any]:
    """Validated buyer-request fields of `raw`; nurturing is derived from the timeline."""
    out: dict[str, Any] = dict(_request_budget(raw, current))
    if "cities" in raw or "districts" in raw:
        out.update(_request_places(raw, current))
    for key, value in raw.items():
        if key == "buyer":
            out[key] = client(ctx, value, field="buyer").id
        elif key == "property_types":
            out[key] = _keys(value, PROPERTY_TYPES, find_property_types, field=key)
        elif key == "must_haves":
            out[key] = _keys(value, FEATURES, find_features, field=key)
        elif key in ("bedrooms_min", "timeline_months"):
            out[key] = _count(value, field=key)
        elif key == "financing":
            out[key] = _choice(value or "unknown", FINANCING, field=key)
        elif key == "wishes":
            out[key] = _text(value)
    if "timeline_months" in out:
        out["nurturing"] = is_nurturing(out["timeline_months"])
    return out


def is_nurturing(timeline_months: int | None) -> bool:
    """A buyer planning more than a year ahead is in the nurturing pool (SPEC §4)."""
    return timeline_months is not None and timeline_months > NURTURING_AFTER_MONTHS
