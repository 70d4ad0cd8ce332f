"""Structure panels and home blocks: Network pairs (S4), matching, contacts and tutoring (networks.hooks)."""


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
