"""Structure panels and home blocks of materials and discussions (networks.hooks)."""


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
