"""A broker's message made uniform for matching, with a map back to the characters typed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# One-for-one replacements: the map back to the original stays trivial for these.
_SINGLE = str.maketrans(
    {
        "ё": "е",
        "Ё": "Е",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
# Invisible characters that only split words apart or glue emoji together.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u20e3")


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return (
        0x1F000 <= code <= 0x1FAFF  # pictographs, emoticons, flags, skin tones
        or 0x2600 <= code <= 0x27BF  # misc symbols and dingbats (☎ ✅ ✔)
        or 0x2B00 <= code <= 0x2BFF  # arrows and stars (⭐)
        or 0xE0020 <= code <= 0xE007F  # tag characters of flag sequences
    )


@dataclass(frozen=True)
class NormalisedText:
    """`text` for matching (same casing as typed), `lower` for case-free matching.

    Both have the same length; `starts[i]`/`ends[i]` give the characters of `original` that
    produced `text[i]`, so a span found in `text` maps back with `to_original`.
    """

    original: str
    text: str
    lower: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that the span [start, end) of `text` came from."""
        if not self.text:
            return (0, 0)
        if end <= start:
            point = self.starts[start] if start < len(self.starts) else len(self.original)
            return (point, point)
        return (self.starts[start], self.ends[end - 1])


def _clusters(text: str) -> list[tuple[int, int]]:
    """Base characters with the combining marks after them: NFC never crosses these."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            bounds.append((start, i))
            start = i
    return bounds if text else []


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters ("İ") lower-case to two; keep those as typed so offsets stay aligned.
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


# Runs of whitespace, emoji and invisible characters: collapsed to one space or dropped.
_GAPS = re.compile(
    "[\\s\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u20e3"
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\U000e0020-\U000e007f]+"
)


def _normalise_composed(text: str) -> NormalisedText:
    """The fast path for text already in NFC: every kept character maps to itself."""
    base = text.translate(_SINGLE)  # one-for-one, so positions are unchanged
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for gap in _GAPS.finditer(base):
        a, b = gap.span()
        if a > position:
            parts.append(base[position:a])
            starts.extend(range(position, a))
            ends.extend(range(position + 1, a + 1))
        position = b
        visible = any(ch not in _INVISIBLE for ch in gap.group())
        if visible and starts and b < len(base):
            parts.append(" ")
            starts.append(a)
            ends.append(b)
    if position < len(base):
        parts.append(base[position:])
        starts.extend(range(position, len(base)))
        ends.extend(range(position + 1, len(base) + 1))
    joined = "".join(parts)
    return NormalisedText(text, joined, _lower_same_length(joined), tuple(starts), tuple(ends))


@lru_cache(maxsize=512)
def normalise(text: str) -> NormalisedText:
    """NFC, ё→е, plain quotes and dashes, no emoji, single spaces, trimmed; casing kept."""
    if unicodedata.is_normalized("NFC", text):
        return _normalise_composed(text)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space: tuple[int, int] | None = None
    for a, b in _clusters(text):
        composed = unicodedata.normalize("NFC", text[a:b]).translate(_SINGLE)
        for ch in composed:
            if ch in _INVISIBLE:
                continue
            if ch.isspace() or _is_emoji(ch):
                # Emoji become spaces so "завтра🙂в 10" still reads as two words.
                pending_space = (pending_space[0], b) if pending_space else (a, b)
                continue
            if pending_space is not None:
                if chars:
                    chars.append(" ")
                    starts.append(pending_space[0])
                    ends.append(pending_space[1])
                pending_space = None
            chars.append(ch)
            starts.append(a)
            ends.append(b)
    joined = "".join(chars)
    return NormalisedText(
        original=text,
        text=joined,
        lower=_lower_same_length(joined),
        starts=tuple(starts),
        ends=tuple(ends),
    )


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the given spans blanked out (consumed slots), spaces collapsed."""
    out = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(text), end)):
            out[i] = " "
    return " ".join("".join(out).split())
