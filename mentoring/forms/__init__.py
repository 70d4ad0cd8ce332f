"""Mentoring and monitoring, one module per feature, re-exported here."""

from .groups import *  # noqa: F403
from .pairs import *  # noqa: F403
from .questionnaires import *  # noqa: F403
from .requests import *  # noqa: F403
