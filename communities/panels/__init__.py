"""What communities adds to networks' structure page and home page, one module per feature."""

from ..public import panels as public
from . import announcements, events, materials, membership, plans

FEATURES = (membership, plans, events, materials, public, announcements)


def register() -> None:
    for feature in FEATURES:
        feature.register()
