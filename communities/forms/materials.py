"""Materials and discussions."""

__all__: list[str] = []
