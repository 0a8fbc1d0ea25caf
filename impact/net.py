"""The one network client: an HTTP GET with a timeout. Only explicit commands reach the
network (``impact data refresh``, ``impact monitor fetch``); each maps a failure to its own
one-line error, and their tests answer from recorded responses."""

from __future__ import annotations

import urllib.request


def get(url: str, headers: dict[str, str], timeout_s: float) -> bytes:
    """The body of ``url`` [bytes]; raises `urllib.error.HTTPError`, `urllib.error.URLError`,
    `TimeoutError` or `OSError` for the caller to put in words."""
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return response.read()
