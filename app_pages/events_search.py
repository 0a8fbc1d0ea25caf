"""The Past events page's search: whole words, and a platform's other names.

A search is split into words (letters and digits); an event matches when its searchable text
(`impact.catalogue.events.SEARCH_COLUMNS`) holds every word, any case:

- a platform's name or alias (`impact.vocab.PLATFORM_LABELS`, `impact.vocab.PLATFORM_ALIASES`)
  matches the platform under any of its names, as a whole word: ``X`` finds ``Twitter`` and
  ``x``, never the letter inside "exam"; ``Meta`` finds Facebook, Instagram and WhatsApp;
- a word of one or two letters matches a whole word;
- a longer word matches the start of a word, so ``elect`` finds "election" and "elections",
  and ``Kashmir`` finds "Kashmir's", but ``ran`` does not find "Iran".

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import re

import polars as pl

from impact.catalogue.events import SEARCH_COLUMNS
from impact.vocab import PLATFORM_ALIASES, PLATFORM_LABELS

_WORD = re.compile(r"\w+")
#: a company's name that stands for several platforms
_GROUPS = {"meta": ("facebook", "instagram", "whatsapp")}
#: shortest word matched at the start of a word (shorter ones match whole words only)
PREFIX_MIN_LETTERS = 3


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, in order (punctuation separates words).

    >>> words("X/Twitter, Jammu & Kashmir")
    ['x', 'twitter', 'jammu', 'kashmir']
    """
    return _WORD.findall(text.lower())


def _platform_names() -> dict[str, frozenset[str]]:
    """platform -> every one-word name of it: its key, the words of its label, its aliases."""
    names: dict[str, set[str]] = {p: {p, *words(label)} for p, label in PLATFORM_LABELS.items()}
    for alias, platform in PLATFORM_ALIASES.items():
        names.setdefault(platform, {platform}).update(w for w in [alias] if _WORD.fullmatch(w))
    return {p: frozenset(n) for p, n in names.items()}


PLATFORM_NAMES = _platform_names()


def synonyms(word: str) -> frozenset[str]:
    """Every name a search ``word`` (lower case) matches as a whole word when it names a
    platform (or a company of several), else an empty set.

    >>> sorted(synonyms("twitter")), sorted(synonyms("x"))
    (['twitter', 'x'], ['twitter', 'x'])
    >>> sorted(synonyms("fb")), synonyms("election")
    (['facebook', 'fb'], frozenset())
    """
    platforms = [p for p, names in PLATFORM_NAMES.items() if word in names]
    platforms += list(_GROUPS.get(word, ()))
    if not platforms:
        return frozenset()
    found = set().union(*(PLATFORM_NAMES[p] for p in platforms))
    return frozenset(found | ({word} if word in _GROUPS else set()))


def word_mask(tokens: pl.Expr, word: str) -> pl.Expr:
    """True where the list of words ``tokens`` matches one search ``word`` (lower case)."""
    names = synonyms(word)
    if names:
        return tokens.list.eval(pl.element().is_in(list(names))).list.any()
    if len(word) < PREFIX_MIN_LETTERS:
        return tokens.list.contains(word)
    return tokens.list.eval(pl.element().str.starts_with(word)).list.any()


def search_mask(events: pl.DataFrame, text: str) -> pl.Expr:
    """True for the ``events`` whose searchable text holds every word of ``text`` (see the
    module docstring); all true for a search with no words.

    >>> ev = pl.DataFrame({"title": ["X blocked", "exam shutdown", "Twitter cut"],
    ...                    "platforms": ["x", None, None]})
    >>> ev.filter(search_mask(ev, "X"))["title"].to_list()
    ['X blocked', 'Twitter cut']
    >>> ev.filter(search_mask(ev, "twitter blocked"))["title"].to_list()
    ['X blocked']
    """
    cols = [pl.col(c).cast(pl.String).fill_null("") for c in SEARCH_COLUMNS
            if c in events.columns]
    tokens = pl.concat_str(cols, separator=" ").str.to_lowercase().str.extract_all(r"\w+")
    mask = pl.lit(True)
    for word in words(text):
        mask = mask & word_mask(tokens, word)
    return mask


def search_events(events: pl.DataFrame, text: str | None) -> pl.DataFrame:
    """The ``events`` matching the search ``text`` (all of them for None or no words)."""
    if not text or not words(text):
        return events
    return events.filter(search_mask(events, text))
