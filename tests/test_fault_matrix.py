"""The fault matrix: (disk full, read-only, broken pipe, Ctrl-C) × (batch, estimate --out,
estimate --brief, events --out, data refresh). Each cell: the documented exit status (2 for
an input or I/O fault, 4 for a refresh, 130 for Ctrl-C, 0 when the reader of our output
stops), never 3 ("a bug"); nothing half-written is left (an interrupted batch keeps a valid
``.partial``, by its documented rule); and the next run works. Faults are simulated where the
writing happens (`os.fsync` / `os.replace` of the one atomic writer, the batch writer, the
refresh's copy), so the matrix runs anywhere."""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

import pytest

from impact.batch import run as batch_mod
from impact.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from worldbank_answers import WorldBankAnswers

EXAMPLE = Path(__file__).parent / "fixtures" / "batch_example.csv"
FAST = ["--draws", "200", "--method", "impact"]
COMMANDS = {
    "batch": lambda out: ["batch", str(EXAMPLE), "--out", str(out / "o.csv"), "--no-progress",
                          *FAST],
    "estimate": lambda out: ["estimate", "--country", "PAK", "--duration-hours", "5",
                             "--out", str(out / "o.csv"), *FAST],
    "brief": lambda out: ["estimate", "--country", "PAK", "--duration-hours", "5",
                          "--brief", str(out / "b.html"), *FAST],
    "events": lambda out: ["events", "list", "--country", "PAK", "--years", "2024",
                           "--out", str(out / "e.csv")],
}


def _raise(code: int, text: str):
    def fault(*_a, **_k):
        raise OSError(code, text)
    return fault


def _interrupt(*_a, **_k):
    raise KeyboardInterrupt


FAULTS = {
    "disk full": ("fsync", _raise(errno.ENOSPC, "No space left on device")),
    "read-only": ("replace", _raise(errno.EROFS, "Read-only file system")),
    "ctrl-c": ("fsync", _interrupt),
}


def _inject(monkeypatch, command: str, where: str, fault) -> None:
    if command == "batch":  # the batch writes chunk by chunk, not through the atomic writer
        monkeypatch.setattr(batch_mod._Writer, "write", fault)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", fault)
    else:
        monkeypatch.setattr(os, "replace", fault)


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_fault_matrix(command, fault, tmp_path, monkeypatch, capsys):
    where, effect = FAULTS[fault]
    args = COMMANDS[command](tmp_path)
    with monkeypatch.context() as m:
        _inject(m, command, where, effect)
        code = main(args)
    err = capsys.readouterr().err
    assert code == (130 if fault == "ctrl-c" else 2), err
    assert "bug" not in err and "Traceback" not in err
    left = sorted(p.name for p in tmp_path.iterdir())
    if command == "batch" and fault == "ctrl-c":  # documented: the good rows so far are kept
        assert left in ([], ["o.csv.partial"], ["o.csv.partial", "o.csv.partial.progress"])
    else:
        assert left == [], left  # nothing half-written, no temporary file
    assert main(args) in (0, 1)  # the next run works (1: rows that fail on purpose)


@pytest.mark.parametrize("command", ["batch", "estimate", "events"])
def test_a_closed_pipe_on_stdout_ends_quietly(command, monkeypatch, capsys):
    args = [a for a in COMMANDS[command](Path("/nonexistent")) if "/nonexistent" not in a]
    args = [a for a in args if a not in ("--out", "--brief")]

    class Closed:
        def write(self, *_a):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def fileno(self):
            return os.open(os.devnull, os.O_WRONLY)

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(args) == 0
    assert "bug" not in capsys.readouterr().err


@pytest.mark.parametrize("fault", ["disk full", "ctrl-c"])
def test_refresh_faults_change_nothing_and_the_next_refresh_works(fault, tmp_path, monkeypatch):
    from impact.build import refresh as rf
    from impact.bundled import datastore
    from impact.bundled.datastore import forget_data_dir
    from impact.errors import ImpactError

    home = tmp_path / "home"
    monkeypatch.setenv(datastore.HOME_ENV, str(home))
    monkeypatch.delenv("IMPACT_DATA_DIR", raising=False)
    forget_data_dir()
    effect = _raise(errno.ENOSPC, "No space left on device") if fault == "disk full" \
        else _interrupt
    try:
        with monkeypatch.context() as m:
            m.setattr(shutil, "copytree", effect)
            with pytest.raises((OSError, KeyboardInterrupt, ImpactError)):
                rf.refresh(get=WorldBankAnswers(), today=rf.dt.date(2026, 3, 1))
        versions = home / datastore.VERSIONS
        assert not (home / rf.LOCK).exists()
        assert not list(versions.glob(".refresh-*")) if versions.is_dir() else True
        assert not (home / "current").exists()  # the data in use is unchanged
        staged, _ = rf.refresh(get=WorldBankAnswers(), today=rf.dt.date(2026, 3, 1))
        assert (home / "current").read_text().strip() == staged.version
    finally:
        forget_data_dir()
