"""Titles, descriptions, stated hours and links: moved to `impact.catalogue.rules.facts`, which run-time code may
import (a user's own event list is costed with the catalogue's rules). Every name of it,
private ones too, stays importable from here (``from impact.build import event_facts``)."""

from impact.catalogue.rules import facts as _module

globals().update({k: v for k, v in vars(_module).items() if not k.startswith("__")})
