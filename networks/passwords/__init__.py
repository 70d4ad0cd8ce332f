"""The password policy beyond Django's validators (AUTH_PASSWORD_VALIDATORS).

- `CommonPasswordValidator`: Django's 20,000 common passwords with Russian ones added
  (common-passwords-ru.txt.gz, built by scripts/build_common_passwords.py), also when the password
  is a listed one with digits or signs around it: «Пароль123», «школа123», «Tula2026».
- `PersonalDataValidator`: not the person's own name, organisation or its region and municipality,
  in Cyrillic or in Latin letters.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_PATH = Path(__file__).resolve().parent / "common-passwords-ru.txt.gz"

# Digits, signs and spaces at either end: what people add to a word to pass a policy.
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_WORDS = re.compile(r"[a-zа-я]+")


def normalise(text: str) -> str:
    """Lowercase, ё as е: how the list is written and how passwords are compared with it."""
    return text.strip().lower().replace("ё", "е")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Refuses a listed password, and a listed word with only digits or signs around it."""

    def __init__(self, password_list_path=LIST_PATH):
        super().__init__(password_list_path)

    def validate(self, password, user=None):
        plain = normalise(password)
        core = _EDGES.sub("", plain)
        if plain in self.passwords or (len(core) >= 3 and core in self.passwords):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return _(
            "Введённый пароль слишком широко распространён: такие пароли подбирают первыми, "
            "даже с цифрами в начале или в конце."
        )

    def get_help_text(self):
        return _(
            "Пароль не должен быть распространённым словом или именем, в том числе с цифрами "
            "в конце."
        )


# Words of organisation and place names that say nothing about the person: the kind of school and
# of territory. A bare «школа» is refused as a common password anyway.
GENERIC_WORDS = frozenset(
    str.split(
        """
    муниципальное муниципальный муниципальная государственное государственный бюджетное казенное
    автономное автономный общеобразовательное общеобразовательная общеобразовательный учреждение
    организация образовательное образовательная образования средняя основная начальная школа
    школы гимназия лицей центр детский имени область район края край республика город городской
    округ сельское поселение поселок село деревня федерации российской регион
    """
    )
)

_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# The other usual spellings of the letters that have more than one.
_LATIN_ALSO = {"й": "i", "х": "kh", "ц": "c", "ж": "j", "ю": "ju", "я": "ja", "щ": "shch"}


def spellings(word: str) -> set[str]:
    """The word and its Latin spellings («Тула» → тула, tula; «Юрьев» → yurev, jurev…)."""
    result = {word}
    if any(ch in _LATIN for ch in word):
        result.add("".join(_LATIN.get(ch, ch) for ch in word))
        result.add("".join(_LATIN_ALSO.get(ch, _LATIN.get(ch, ch)) for ch in word))
    return result


class PersonalDataValidator:
    """Refuses a password that contains the person's last name, first name or patronymic, or a
    word of their organisation's name, region or municipality (case does not matter, nor
    Cyrillic or Latin letters). Three-letter names count only as the whole password with digits
    or signs around it («Яна2026»), so that they do not forbid every word they occur in."""

    def validate(self, password, user=None):
        if user is None:
            return
        plain = normalise(password)
        core = _EDGES.sub("", plain)
        names = self._words(
            getattr(user, "last_name", ""),
            getattr(user, "first_name", ""),
            getattr(user, "patronymic", ""),
        )
        if self._found(names, plain, core):
            raise ValidationError(
                _("Пароль не должен содержать вашу фамилию, имя или отчество."),
                code="password_has_personal_name",
            )
        if self._found(self._organisation_words(user), plain, core):
            raise ValidationError(
                _(
                    "Пароль не должен содержать название вашей организации, её региона "
                    "или муниципалитета."
                ),
                code="password_has_organisation",
            )

    def get_help_text(self):
        return _("Пароль не должен содержать ваше имя или название вашей организации.")

    @staticmethod
    def _words(*texts: str) -> set[str]:
        words = set()
        for text in texts:
            words.update(w for w in _WORDS.findall(normalise(text or "")) if len(w) >= 3)
        return words - GENERIC_WORDS

    def _organisation_words(self, user) -> set[str]:
        organisation = getattr(user, "organisation", None)
        if organisation is None:
            return set()
        texts = [organisation.short_name, organisation.full_name]
        for place in (getattr(organisation, "region", None), organisation.municipality):
            if place is not None:
                texts.append(place.name)
        return self._words(*texts)

    @staticmethod
    def _found(words: set[str], plain: str, core: str) -> bool:
        for word in words:
            for spelling in spellings(word):
                if len(spelling) >= 4 and spelling in plain:
                    return True
                if spelling == core:
                    return True
        return False
