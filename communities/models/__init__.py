"""Models of the life of a structure, one module per feature; re-exported here so that
`communities.models.X` works for Django and for callers."""

from .events import *  # noqa: F403
from .materials import *  # noqa: F403
from .membership import *  # noqa: F403
from .notices import *  # noqa: F403
from .plans import *  # noqa: F403
