"""Area-name matching and ``data/regions.csv``: moved to `impact.eventrules.areas`, which run-time code
may import (a user's own event list is costed with the catalogue's rules). This name is the
same module object, so ``from impact.build import areas`` keeps working."""

import sys

from impact.eventrules import areas as _module

sys.modules[__name__] = _module
