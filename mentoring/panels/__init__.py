"""What mentoring adds to networks' structure page and home page, one module per feature."""

from . import groups, pairs, questionnaires, requests

FEATURES = (pairs, requests, questionnaires, groups)


def register() -> None:
    for feature in FEATURES:
        feature.register()
