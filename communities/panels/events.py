"""Structure panels and home blocks of events, meetings and minutes (networks.hooks)."""


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
