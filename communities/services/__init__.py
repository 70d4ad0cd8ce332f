"""Writes of the life of a structure (CONVENTIONS 2), one module per feature, re-exported here."""

from .events import *  # noqa: F403
from .materials import *  # noqa: F403
from .membership import *  # noqa: F403
from .plans import *  # noqa: F403
