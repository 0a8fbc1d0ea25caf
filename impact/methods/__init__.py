"""Registry of estimation methods: one module each, one common interface (`Method`).

`REGISTRY` is ordered: our own model (`OWN_METHOD`) first, then the published methods. Callers
that need "our" method — plotted first, the band of the loss-by-duration chart, the inputs of
the driver breakdown (tornado), the direct / indirect / recovered breakdown — ask for
`OWN_METHOD` or `lead_method` instead of writing its name.
"""

from __future__ import annotations

from collections.abc import Iterable

from impact.errors import InputError
from impact.methods import (
    brookings2016,
    cost_compatible,
    deloitte2016,
    icrier2018,
    impact_model,
    panel,
)
from impact.methods.base import Method

REGISTRY: dict[str, Method] = {
    m.METHOD.name: m.METHOD
    for m in (impact_model, cost_compatible, brookings2016, deloitte2016, icrier2018, panel)
}

#: the name of this project's own model (``"impact"``): the first method in `REGISTRY`, the
#: one whose range, drivers and components the charts and the brief show when it costs the
#: scenario
OWN_METHOD: str = impact_model.METHOD.name
#: the method calibrated to published country-year totals (``"cost_compatible"``): the one
#: that stands for all where a single quick figure is needed (the catalogue's flags of
#: implausible events on the command line)
CALIBRATED_METHOD: str = cost_compatible.METHOD.name


def lead_method(names: Iterable[str]) -> str | None:
    """The method to lead with among ``names`` (e.g. the methods that cost a scenario):
    `OWN_METHOD` when it is one of them, else the first of ``names``; None when empty.

    Examples
    --------
    >>> lead_method(["panel", "impact"]), lead_method(["panel", "icrier2018"]), lead_method([])
    ('impact', 'panel', None)
    """
    names = list(names)
    if OWN_METHOD in names:
        return OWN_METHOD
    return names[0] if names else None


def get_methods(names: str | list[str] | tuple[str, ...] = "all") -> list[Method]:
    """Methods by name; ``"all"`` (or ``None``) for every registered method.

    A wrong name, or no name at all (``""``, ``","``, ``[]``), raises `InputError` listing
    the valid ones.
    """
    if names is None or names == "all":
        return list(REGISTRY.values())
    given = names
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    elif not isinstance(names, list | tuple):
        raise InputError("method", given, f"method names: one or more of {', '.join(REGISTRY)}, "
                         "or all")
    out = []
    for name in names:
        if name == "all":
            return list(REGISTRY.values())
        if not isinstance(name, str) or name not in REGISTRY:
            raise InputError("method", name, f"one of {', '.join(REGISTRY)} or all")
        if REGISTRY[name] not in out:  # a repeated name counts once
            out.append(REGISTRY[name])
    if not out:
        raise InputError("method", given if isinstance(given, str) else list(given),
                         f"at least one method: one or more of {', '.join(REGISTRY)} "
                         "(comma separated), or all")
    return out


__all__ = ["OWN_METHOD", "REGISTRY", "Method", "get_methods", "lead_method"]
