"""Structure panels and home blocks: Requests for targeted help (networks.hooks)."""


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
