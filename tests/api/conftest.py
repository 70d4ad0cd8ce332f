import copy

import pytest

from tests.api.helpers import build_territory
from tests.helpers import rolled_back_at_the_end


@pytest.fixture(scope="module")
def _built_land(django_db_setup, django_db_blocker) -> dict:
    """The land of the API's tests, built once per test module inside a transaction rolled back at
    the module's end; each test changes it in a savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_territory()


@pytest.fixture
def land(_built_land, db) -> dict:
    return copy.deepcopy(_built_land)
