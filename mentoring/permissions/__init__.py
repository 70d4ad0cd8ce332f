"""Who may do what in mentoring: small predicates over networks.permissions.StructureAccess and
the person, one module per feature, re-exported here. Views and templates ask here and never
decide alone.

Names follow one scheme across the apps: `can_<verb>_<object>(who, obj)` answers a permission,
`is_`/`has_` a plain fact, and `<object>_for(user, pk, ...)` loads an object or refuses (404 to
outsiders, 403 to insiders without the right).

A pair's contact log and questionnaire answers are visible to the pair, its curators and the
territory's coordinators — nobody else (not the territory's methodists either).
"""

from .groups import *  # noqa: F403
from .matching import *  # noqa: F403
from .pairs import *  # noqa: F403
from .questionnaires import *  # noqa: F403
from .requests import *  # noqa: F403
from .tutoring import *  # noqa: F403
