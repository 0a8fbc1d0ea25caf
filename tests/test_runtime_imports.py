"""The run time never imports the build-side stack (statsmodels, scipy, pandas, pyarrow, patsy)
nor streamlit: a fresh interpreter estimates a scenario through the CLI, reads the risk table
and estimates catalogue events, then lists what it imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = ("statsmodels", "scipy", "pandas", "pyarrow", "patsy", "streamlit")

SCRIPT = f"""
import contextlib, io, json, sys
import impact.cli
with contextlib.redirect_stdout(io.StringIO()):
    code = impact.cli.main(["estimate", "--country", "PAK", "--duration-hours", "10",
                            "--scope", "mobile"])
assert code == 0, code
from impact.bundled.econometrics import fit_effect_model, fit_risk_model, risk_table
assert risk_table(2026).height > 100
fit_risk_model(), fit_effect_model()
from impact.catalogue import events as ev
events = ev.load_events("PAK", (2023, 2024)).head(4)
out = ev.estimate_events(events, ["impact", "panel", "cost_compatible"], draws=200)
assert out.height > 0
roots = sorted({{m.split(".")[0] for m in sys.modules}})
print(json.dumps({{"forbidden": [m for m in {FORBIDDEN!r} if m in roots],
                   "build": sorted(m for m in sys.modules if m.startswith("impact.build"))}}))
"""


def _run(code: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_runtime_imports_no_build_stack() -> None:
    got = _run(SCRIPT)
    assert got["forbidden"] == [], f"imported at run time: {got['forbidden']}"
    assert got["build"] == [], f"impact.build imported at run time: {got['build']}"


def test_the_worktree_package_is_the_one_imported() -> None:
    got = subprocess.run([sys.executable, "-c", "import impact; print(impact.__file__)"],
                         cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)),
                         capture_output=True, text=True, check=True).stdout.strip()
    assert Path(got).resolve().parent.parent == REPO
