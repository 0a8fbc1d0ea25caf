"""Errors raised on bad input. Each message names the field, echoes the bad value and says
what is accepted, so the CLI and the app can show it as one line without a traceback."""

from __future__ import annotations


class ImpactError(Exception):
    """Base class for every error `impact` raises on purpose."""


class InputError(ImpactError, ValueError):
    """A user-supplied value is wrong.

    Parameters
    ----------
    field : name of the scenario field or column (e.g. ``country``)
    value : the value that was given
    accepted : what would have been accepted
    """

    def __init__(self, field: str, value: object, accepted: str):
        self.field = field
        self.value = value
        self.accepted = accepted
        super().__init__(f"{field}: {_shown(value)} is not accepted; {accepted}")


#: longest echo of a bad value in a message [characters]; longer ones are cut with "…"
MAX_ECHO = 80


def _shown(value: object) -> str:
    """``repr(value)``, cut to `MAX_ECHO` characters (a 400-digit number stays one short
    line)."""
    text = repr(value)
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO - 1] + "…"


class TimelineError(InputError):
    """A timeline row that cannot be used: one line naming the file, the line, the field,
    the value and what is accepted."""

    def __init__(self, field: str, value: object, accepted: str, *, where: str = "") -> None:
        super().__init__(field, value, accepted)
        self.where = where

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.where}: {text}" if self.where else text


class DataError(ImpactError):
    """The bundled data cannot answer a question (e.g. a country with no usable GDP)."""


class BundledDataError(DataError):
    """A bundled data file is missing, unreadable, breaks a rule of `impact.bundled.datacheck.RULES`
    or changed since the build. Unlike other `DataError` cases it is not one method's or one
    country's gap: an estimate stops with it (the CLI exits 2, the app shows it)."""


class ParameterFileError(ImpactError):
    """A parameter file is malformed (missing column, low > value, unknown distribution...)."""


class RefreshError(DataError):
    """``impact data refresh`` could not fetch, read or validate new data (offline, a server
    error, a truncated or changed response, too few rows...). Raised before anything is
    switched: the data in use is unchanged (the CLI exits 4)."""


class BatchInterrupted(KeyboardInterrupt):
    """A batch stopped by Ctrl-C: ``partial`` holds the good rows written so far (a closed
    CSV, JSON or XLSX file)."""

    def __init__(self, partial: object, rows_ok: int) -> None:
        super().__init__(str(partial))
        self.partial, self.rows_ok = partial, rows_ok
