"""Titles, descriptions, stated hours and links: moved to `impact.eventrules.facts`, which run-time code
may import (a user's own event list is costed with the catalogue's rules). This name is the
same module object, so ``from impact.build import event_facts`` keeps working."""

import sys

from impact.eventrules import facts as _module

sys.modules[__name__] = _module
