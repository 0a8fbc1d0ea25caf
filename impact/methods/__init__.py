"""Registry of estimation methods: one module each, one common interface (`Method`)."""

from __future__ import annotations

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


__all__ = ["REGISTRY", "Method", "get_methods"]
