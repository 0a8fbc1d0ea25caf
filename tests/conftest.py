"""Shared test configuration: Hypothesis profiles.

Profiles
--------
``ci``  : deadline=None, max_examples=60, derandomize=True (reproducible, bounded run time)
``dev`` : Hypothesis defaults (random examples, the default deadline)

The profile is taken from the ``HYPOTHESIS_PROFILE`` environment variable; when it is unset,
``ci`` is used if ``CI=true`` and ``dev`` otherwise.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    max_examples=60,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev")

_profile = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").strip().lower() == "true" else "dev")
settings.load_profile(_profile)
