"""Where the Monitor page's file comes from besides an upload: a monitor's export fetched on
request (`impact.monitor.fetch`) or a file watched on the server inside the folders the operator
allowed.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from pathlib import Path

from app_pages.monitor_choices import WATCH_ENV, WATCH_MAX_BYTES, watch_roots


def fetch_export(source: str, country: str, start: str, end: str) -> tuple[str, bytes]:
    """(file name, body) of a monitor's export fetched with `impact.monitor.fetch.fetch` (the only
    call that uses the network; the base URL of each source can be replaced by
    ``IMPACT_FETCH_BASE_<SOURCE>``). Every failure, offline included, is one `InputError`
    line."""
    import tempfile

    from impact.monitor import fetch

    with tempfile.TemporaryDirectory(prefix="impact-fetch-") as tmp:
        iso3 = country.strip()
        path = fetch.fetch(source, iso3 or None, start, end,
                           str(Path(tmp) / "answer.json"))
        body = path.read_bytes()
    from impact.bundled.countries import resolve_country

    t0 = start.replace(":", "").replace("-", "")[:13]
    return f"{source}_{resolve_country(country)}_{t0}.json", body


def token_set(source: str) -> bool:
    """Whether the API token ``source`` needs is in the environment (True: none needed)."""
    import os

    from impact.monitor import fetch

    env = fetch.TOKEN_ENV.get(source)
    return env is None or bool(os.environ.get(env, "").strip())


def watch_path(text: str, roots: tuple[Path, ...] | None = None) -> Path:
    """The file a typed path points at: relative to the first allowed folder, and inside one
    of ``roots`` (default `watch_roots`) once links are resolved. Messages never show the
    server's folders.

    >>> watch_path("live/../t.csv", (Path("/srv/feeds"),))
    PosixPath('/srv/feeds/t.csv')
    >>> watch_path("/etc/passwd", (Path("/srv/feeds"),))
    Traceback (most recent call last):
    ...
    impact.errors.InputError: path: '/etc/passwd' is not accepted; a file inside the folders the operator allowed for watching
    """
    from impact.errors import InputError

    roots = watch_roots() if roots is None else roots
    if not roots:
        raise InputError("path", text, f"nothing: watching files on this server is off (the "
                         f"operator turns it on with {WATCH_ENV})")
    raw = text.strip()
    if not raw or "\x00" in raw:
        raise InputError("path", text, "the path of a timeline file")
    try:
        path = (roots[0] / raw).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a name too long
        raise InputError("path", text, "the path of a timeline file") from None
    if not any(path.is_relative_to(r) for r in roots):
        raise InputError("path", text, "a file inside the folders the operator allowed for "
                         "watching")
    return path


def read_watched(text: str, roots: tuple[Path, ...] | None = None) -> tuple[bytes, str]:
    """(bytes, file name) of the watched file, at most `WATCH_MAX_BYTES`; a missing,
    unreadable or too large file is an `InputError`."""
    from impact.errors import InputError

    path = watch_path(text, roots)
    try:
        if not path.is_file():
            raise FileNotFoundError
        if path.stat().st_size > WATCH_MAX_BYTES:
            raise InputError("path", text, f"a file of at most {WATCH_MAX_BYTES // 1_000_000} "
                             "MB")
        with path.open("rb") as fh:
            data = fh.read(WATCH_MAX_BYTES + 1)
    except OSError:
        raise InputError("path", text, "an existing, readable timeline file") from None
    if len(data) > WATCH_MAX_BYTES:
        raise InputError("path", text, f"a file of at most {WATCH_MAX_BYTES // 1_000_000} MB")
    return data, path.name
