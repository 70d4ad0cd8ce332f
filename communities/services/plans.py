"""Plans of a structure's school year and their approval."""

__all__: list[str] = []
