"""Operators and network shares: moved to `impact.eventrules.networks`, which run-time code
may import (a user's own event list is costed with the catalogue's rules). This name is the
same module object, so ``from impact.build import networks`` keeps working."""

import sys

from impact.eventrules import networks as _module

sys.modules[__name__] = _module
