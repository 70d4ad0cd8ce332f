"""Views of the life of a structure, one module per feature; each module's `urlpatterns` is
included by communities/urls.py."""

from .events import *  # noqa: F403
from .materials import *  # noqa: F403
from .membership import *  # noqa: F403
from .plans import *  # noqa: F403
