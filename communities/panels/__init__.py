"""What communities adds to networks' structure page and home page, one module per feature."""

from ..public import panels as public
from . import announcements, decisions, events, materials, membership, plans

FEATURES = (membership, plans, events, materials, public, announcements, decisions)


def register() -> None:
    for feature in FEATURES:
        feature.register()
