"""Area-name matching and ``data/regions.csv``: moved to `impact.bundled.areas`, which run-time code may
import (a user's own event list is costed with the catalogue's rules). Every name of it,
private ones too, stays importable from here (``from impact.build import areas``)."""

from impact.bundled import areas as _module

globals().update({k: v for k, v in vars(_module).items() if not k.startswith("__")})
