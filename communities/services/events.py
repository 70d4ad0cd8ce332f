"""Events, meetings, attendance and minutes."""

__all__: list[str] = []
