"""Text normalisation shared by country and place-name lookups."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower-case ASCII words, ``&`` -> ``and``, punctuation dropped, spaces collapsed.

    Examples
    --------
    >>> normalise("  Jammu &  Kashmir ")
    'jammu and kashmir'
    >>> normalise("Ayeyarwady Region.")
    'ayeyarwady region'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def one_line(text: object) -> str:
    """``text`` on one line: every run of whitespace (newlines included) as one space."""
    return " ".join(str(text).split())
