import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_A = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_B = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(value: str) -> bool:
    """ИНН of an organisation (10 digits) or a person (12 digits), with its check digits."""
    if not value.isdigit():
        return False
    if len(value) == 10:
        return _check_digit(value, _INN10) == int(value[9])
    if len(value) == 12:
        return _check_digit(value, _INN12_A) == int(value[10]) and _check_digit(
            value, _INN12_B
        ) == int(value[11])
    return False


def validate_inn(value: str) -> None:
    if value and not inn_is_valid(value):
        raise ValidationError(
            _("ИНН должен состоять из 10 или 12 цифр с верным контрольным числом."), code="inn"
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Неизвестный часовой пояс «%(value)s»; пример: Europe/Moscow."),
            params={"value": value},
            code="timezone",
        )
