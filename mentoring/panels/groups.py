"""Structure panels and home blocks: Online-group statistics (S2, S3) (networks.hooks)."""


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
