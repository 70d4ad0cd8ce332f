"""Build networks/passwords/common-passwords-ru.txt.gz: the common passwords the portal refuses.

    .venv/bin/python scripts/build_common_passwords.py

Django's list (20,000 passwords seen in leaks, almost all Latin) plus Russian ones made here from
words people use as passwords: common words and school words, first names with their short forms,
common surnames, cities and regions; each in Cyrillic, in Latin transliteration (several spellings:
«tula», «moskva», «natasha»), typed with the keyboard in the other layout («gfhjkm» is «пароль»),
keyboard rows («йцукен»), and with the usual endings (1, 123, 12345, !). Everything lowercased, ё as
е (networks.passwords compares the same way). Deterministic: the same input, the same file.
"""

from __future__ import annotations

import gzip
import io
import itertools
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "networks" / "passwords" / "common-passwords-ru.txt.gz"
DJANGO_LIST = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"


def words(text: str) -> list[str]:
    return text.split()


WORDS = words(
    """
пароль парольчик пасворд секрет тайна ключ ключик замок доступ вход логин админ администратор
пользователь компьютер интернет привет приветик пока здравствуйте здрасте спасибо пожалуйста
любовь люблю любимый любимая любимка милый милая солнце солнышко зайка зайчик зая котик котенок
киса кисуля кошка кот собака собачка щенок пес мышка мышонок рыбка малыш малышка ласточка
птичка медведь мишка медвежонок волк лиса лисичка тигр тигренок лев дракон ангел ангелочек
демон бог господь вера надежда чудо мечта счастье радость удача судьба жизнь мир дружба друг
подруга семья мама мамочка папа папочка сын дочь дочка бабушка дедушка брат сестра дети ребенок
школа школьник школьница учитель учительница ученик ученица урок класс классный директор завуч
гимназия лицей колледж университет институт студент образование знание знания наука книга
тетрадь дневник пятерка отличник отличница учеба каникулы математика физика химия история
литература биология география информатика русский язык музыка
россия родина отечество москва кремль победа мир труд май весна лето осень зима январь февраль
март апрель июнь июль август сентябрь октябрь ноябрь декабрь понедельник вторник среда четверг
пятница суббота воскресенье утро день вечер ночь звезда звездочка небо море океан река озеро лес
поле гора цветок цветочек роза ромашка тюльпан березка береза калина малина клубника вишня
яблоко апельсин банан шоколад шоколадка конфета сладкий сладкая красота красавица красавчик
принцесса королева король царь царица князь богатырь герой победитель чемпион лидер босс шеф
хозяин мастер супер класс отлично хорошо нормально новый старый первый главный лучший
спартак зенит цска динамо локомотив торпедо футбол хоккей баскетбол волейбол спорт игра игрушка
танк машина мотоцикл самолет ракета космос планета земля марс луна гагарин пушкин лермонтов
толстой чехов есенин ленин сталин путин наташа катюша калинка матрешка балалайка водка пиво
работа офис бухгалтер бухгалтерия отдел кадры проект отчет план сеть сети сетевой портал шнор
методист координатор наставник наставничество тьютор педагог педсовет ученики учителя
"""
)

FIRST_NAMES = words(
    """
александр саша сашка шура алексей леша алеша андрей андрюша антон тоша артем тема борис боря
вадим валентин валерий валера василий вася виктор витя виталий владимир вова володя владислав
влад вячеслав слава геннадий гена георгий жора григорий гриша даниил данил даня денис дмитрий
дима димка евгений женя егор иван ваня ванечка игорь илья кирилл константин костя лев леонид
леня максим макс михаил миша никита николай коля олег павел паша петр петя роман рома руслан
сергей сережа серега станислав стас степан тимур федор федя юрий юра ярослав эдуард эдик
александра алена аленка алина алиса алла анастасия настя настенька ангелина анна аня анечка
анюта валентина валя валерия лера вера вероника виктория вика галина галя дарья даша дашенька
диана ева евгения екатерина катя катенька елена лена леночка елизавета лиза жанна зоя инна
ирина ира иришка карина кристина ксения ксюша лариса лидия люба любаша людмила люда маргарита
рита марина мария маша машенька надя наталья наталия нина оксана ольга оля оленька полина
раиса светлана света софия софья соня тамара татьяна таня танечка ульяна юлия юля яна
"""
)

SURNAMES = words(
    """
иванов смирнов кузнецов попов васильев петров соколов михайлов новиков федоров морозов волков
алексеев лебедев семенов егоров павлов козлов степанов николаев орлов андреев макаров никитин
захаров зайцев соловьев борисов яковлев григорьев романов воробьев сергеев кузьмин фролов
александров дмитриев королев гусев киселев ильин максимов поляков сорокин виноградов ковалев
белов медведев антонов тарасов жуков баранов филиппов комаров давыдов беляев герасимов богданов
"""
)

PLACES = words(
    """
москва петербург санктпетербург питер ленинград новосибирск екатеринбург казань нижний
новгород челябинск самара омск ростов уфа красноярск воронеж пермь волгоград краснодар саратов
тюмень тольятти ижевск барнаул ульяновск иркутск хабаровск ярославль владивосток махачкала томск
оренбург кемерово новокузнецк рязань астрахань пенза киров липецк чебоксары калининград тула
курск ставрополь сочи тверь брянск иваново белгород сургут владимир архангельск чита смоленск
калуга курган орел череповец вологда саранск мурманск якутск тамбов грозный стерлитамак кострома
петрозаводск нижневартовск новороссийск таганрог сыктывкар нальчик шахты дзержинск орск братск
благовещенск энгельс ангарск псков абакан норильск кызыл магадан салехард анадырь майкоп элиста
черкесск владикавказ биробиджан севастополь симферополь крым дмитриев новомосковск алексин
ефремов щекино узловая богородицк венев донской суворов кимовск ясногорск белев одоев
адыгея алтай башкирия башкортостан бурятия дагестан ингушетия калмыкия карелия коми марий
мордовия саха якутия осетия татарстан тыва удмуртия хакасия чечня чувашия камчатка приморье
кубань урал сибирь кузбасс ямал югра чукотка сахалин колыма байкал волга дон енисей обь
тульская курская московская ленинградская орловская брянская калужская рязанская липецкая
воронежская белгородская смоленская тверская ярославская владимирская ивановская костромская
"""
)

LATIN_WORDS = words(
    """
password qwerty admin hello love iloveyou dragon monkey master football letmein welcome secret
school teacher student princess sunshine shadow superman batman killer
"""
)

KEYBOARD = words(
    """
йцукен йцукенг йцукенгш йцукенгшщ йцукенгшщз йцукенгшщзхъ фыва фывап фывапр фывапро фывапрол
фывапролд фывапролдж фывапролджэ ячсмит ячсмить ячсмитьбю йфяцычувскам йфя цычувс ячс
"""
)

ENDINGS = ["", "1", "12", "123", "1234", "12345", "123456", "!", "1!", "111", "777", "007"]

_LATIN = {
    "а": ["a"],
    "б": ["b"],
    "в": ["v"],
    "г": ["g"],
    "д": ["d"],
    "е": ["e"],
    "ж": ["zh", "j"],
    "з": ["z"],
    "и": ["i"],
    "й": ["y", "i", "j"],
    "к": ["k"],
    "л": ["l"],
    "м": ["m"],
    "н": ["n"],
    "о": ["o"],
    "п": ["p"],
    "р": ["r"],
    "с": ["s"],
    "т": ["t"],
    "у": ["u"],
    "ф": ["f"],
    "х": ["h", "kh"],
    "ц": ["ts", "c"],
    "ч": ["ch"],
    "ш": ["sh"],
    "щ": ["sch", "shch"],
    "ъ": [""],
    "ы": ["y"],
    "ь": ["", "'"],
    "э": ["e"],
    "ю": ["yu", "ju", "iu"],
    "я": ["ya", "ja", "ia"],
}
_QWERTY = dict(
    zip("йцукенгшщзхъфывапролджэячсмитьбю", "qwertyuiop[]asdfghjkl;'zxcvbnm,.", strict=True)
)
_JCUKEN = {latin: cyrillic for cyrillic, latin in _QWERTY.items()}


def transliterations(word: str, limit: int = 8) -> list[str]:
    """The Latin spellings people use for a Russian word, the most usual first."""
    options = [_LATIN.get(ch, [ch]) for ch in word]
    spellings = []
    for parts in itertools.islice(itertools.product(*options), limit):
        spelling = "".join(parts)
        if spelling not in spellings:
            spellings.append(spelling)
    return spellings


def other_layout(word: str) -> str:
    """The word typed with the keyboard in the other layout: «пароль» → «gfhjkm»."""
    table = _QWERTY if any(ch in _QWERTY for ch in word) else _JCUKEN
    return "".join(table.get(ch, ch) for ch in word)


def russian() -> list[str]:
    entries: list[str] = []
    bases = [*WORDS, *FIRST_NAMES, *PLACES]
    surnames = [*SURNAMES, *(s + "а" for s in SURNAMES)]
    for word in [*bases, *surnames]:
        entries.append(word)
        entries.extend(transliterations(word))
        entries.append(other_layout(word))
    for word in LATIN_WORDS:
        entries.append(other_layout(word))
    entries.extend(KEYBOARD)
    # The usual endings, in Cyrillic, the usual Latin spelling and the other layout. A year or any
    # other digits around a listed word are refused by the validator itself (networks.passwords),
    # so the years 1950–2030 need not be multiplied into the file.
    for word in [*bases, *surnames, *KEYBOARD]:
        for spelling in (word, transliterations(word, 1)[0], other_layout(word)):
            entries.extend(spelling + ending for ending in ENDINGS if ending)
    return entries


def build() -> list[str]:
    with gzip.open(DJANGO_LIST, "rt", encoding="utf-8") as f:
        django_list = [line.strip() for line in f]
    seen: set[str] = set()
    result = []
    for entry in [*django_list, *russian()]:
        entry = entry.strip().lower().replace("ё", "е")
        if entry and entry not in seen:
            seen.add(entry)
            result.append(entry)
    return result


def main() -> None:
    entries = build()
    buffer = io.BytesIO()
    # mtime=0: the same list gives the same bytes, so a rebuild shows no change in git.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(("\n".join(entries) + "\n").encode("utf-8"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(buffer.getvalue())
    print(f"{TARGET.relative_to(ROOT)}: {len(entries)} passwords, {len(buffer.getvalue())} bytes")


if __name__ == "__main__":
    main()
