import pytest
from django.core.cache import cache

from tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

PASSWORD = "Кедровый-Ручей-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ups and failed sign-ins in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school_no_4(db):
    """Real-looking schools of one district, with namesakes the search must tell apart."""
    region = RegionFactory(code="46", name="Курская область")
    district = MunicipalityFactory(region=region, name="Дмитриевский район")
    school = OrganisationFactory(
        municipality=district,
        full_name="Муниципальное общеобразовательное учреждение «Средняя общеобразовательная школа № 4»",
        short_name="МОУ «Средняя общеобразовательная школа № 4»",
    )
    OrganisationFactory(
        municipality=district,
        full_name="Муниципальное общеобразовательное учреждение «Средняя общеобразовательная школа № 40»",
        short_name="МОУ «СОШ № 40»",
    )
    return school


@pytest.fixture
def school_no_2_dmitriev(db):
    region = RegionFactory(code="46", name="Курская область")
    district = MunicipalityFactory(region=region, name="Дмитриевский район")
    return OrganisationFactory(
        municipality=district,
        full_name="Муниципальное казённое общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 2 г. Дмитриева»",
        short_name="МКОУ «Средняя общеобразовательная школа № 2 г. Дмитриева»",
    )
