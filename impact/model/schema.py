"""JSON Schema of `Scenario`, for API users and the app.

``python -m impact.model.schema`` prints the schema; ``python -m impact.model.schema --write`` writes it to
``docs/scenario.schema.json`` (a test checks that the committed copy is current).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from impact.model.scenario import Scenario

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json"


def scenario_json_schema() -> str:
    """The JSON Schema of `Scenario` as stable text (sorted keys, 2-space indent, final
    newline)."""
    return json.dumps(Scenario.model_json_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m impact.model.schema",
                                     description="Print or write the Scenario JSON Schema.")
    parser.add_argument("--write", action="store_true",
                        help=f"write the schema to {SCHEMA_PATH} instead of printing it")
    args = parser.parse_args(argv)
    text = scenario_json_schema()
    if args.write:
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
