"""Structure panels and home blocks: Monitoring questionnaires (networks.hooks)."""


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
