"""Demo data: the structures of the five source orders (seeds 000–004) with made-up people.

`load_demo()` is what `manage.py load_demo` (and so `make run`) calls; it is idempotent.
The data are plain structures in `territory`, `documents`, `people` and `structures`.
"""

from .loader import LoadResult, load_demo
from .people import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "LoadResult", "load_demo"]
