"""Network pairs (S4), matching, contacts and tutoring."""

__all__: list[str] = []
