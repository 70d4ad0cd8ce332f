"""What communities adds to networks' structure page and home page, one module per feature."""

from ..public import panels as public
from . import events, materials, membership, plans

FEATURES = (membership, plans, events, materials, public)


def register() -> None:
    for feature in FEATURES:
        feature.register()
