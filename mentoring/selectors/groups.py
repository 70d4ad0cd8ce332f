"""Online-group statistics (S2, S3)."""

__all__: list[str] = []
