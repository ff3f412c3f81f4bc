"""Text that is mostly not words in any language (a mangled paste, binary read as text): it is
answered at once as not understood instead of being read word by word — the morphology behind
names and lemmas costs ~0.1 ms a word, so 8,000 characters of garbage would hold the turn for
a second (issue #10: padding and noise stay under 100 ms)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\S+")
# A word: letters of one script (an apostrophe or hyphen inside), a number, or a number with
# its unit ("500k", "3-bed", "10:30", "€450,000").
_WORD = re.compile(
    r"[\W_]*(?:[a-z]+(?:['’-][a-z]+)*|[а-яё]+(?:['’-][а-яё]+)*|[α-ωάέήίόύώ]+|"
    r"[€$]?\d[\d.,:/-]*(?:[a-zа-яё%€]{0,4})|[a-z]+-?\d+|\d+-[a-zа-яё]+)[\W_]*",
    re.IGNORECASE,
)
MIN_TOKENS = 40  # a short message is always read: a typo or two is not noise
NOISE_SHARE = 0.5


_READABLE = re.compile(r"[^\W_]")
NO_LETTERS_LENGTH = 200  # "?" or "👍" alone is read (help, thanks); a page of symbols is not


def is_noise(text: str) -> bool:
    """Most of a long text's tokens are not words, or a long text has no letter or digit at
    all (see the module docstring)."""
    if len(text) >= NO_LETTERS_LENGTH and not _READABLE.search(text):
        return True
    tokens = _TOKEN.findall(text)
    if len(tokens) < MIN_TOKENS:
        return False
    garbled = sum(1 for token in tokens if not _WORD.fullmatch(token))
    return garbled >= NOISE_SHARE * len(tokens)
