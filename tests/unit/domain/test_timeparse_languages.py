"""Times and durations typed in German, Spanish, French and Brazilian Portuguese (and English kept)."""

import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import AmbiguousDate, BadDuration, TimeInPast, UnparseableTime, WeekdayMismatch
from bot.domain.timeparse import TIME_LANGUAGES, parse_duration, parse_when, time_examples
from bot.ui.i18n import LANGUAGES

# Monday 30 Nov 2026, 12:00 UTC: 13:00 in Berlin, Madrid and Paris (UTC+1), 09:00 in São Paulo (UTC-3).
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ZONES = {
    "en": ZoneInfo("Europe/London"),
    "de": ZoneInfo("Europe/Berlin"),
    "es": ZoneInfo("Europe/Madrid"),
    "fr": ZoneInfo("Europe/Paris"),
    "pt_BR": ZoneInfo("America/Sao_Paulo"),
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Local times in Berlin are UTC+1 in winter.
GERMAN = [
    ("Sa 10 Uhr", utc(2026, 12, 5, 9)),
    ("Sa. 10 Uhr", utc(2026, 12, 5, 9)),
    ("Samstag 10:00", utc(2026, 12, 5, 9)),
    ("am Samstag um 10 Uhr", utc(2026, 12, 5, 9)),
    ("10 Uhr am Samstag", utc(2026, 12, 5, 9)),
    ("morgen 14 Uhr", utc(2026, 12, 1, 13)),
    ("Morgen um 14:30 Uhr", utc(2026, 12, 1, 13, 30)),
    ("morgen 14.30", utc(2026, 12, 1, 13, 30)),
    ("morgen früh 8 Uhr", utc(2026, 12, 1, 7)),
    ("morgen Mittag", utc(2026, 12, 1, 11)),
    ("übermorgen 9 Uhr", utc(2026, 12, 2, 8)),
    ("uebermorgen 9h", utc(2026, 12, 2, 8)),
    ("heute 18 Uhr", utc(2026, 11, 30, 17)),
    ("heute Abend 7 Uhr", utc(2026, 11, 30, 18)),
    ("14 Uhr 30", utc(2026, 11, 30, 13, 30)),
    ("Mo 14 Uhr", utc(2026, 11, 30, 13)),
    ("Mo 12 Uhr", utc(2026, 12, 7, 11)),
    ("nächsten Mo 14 Uhr", utc(2026, 12, 7, 13)),
    ("Di 10 Uhr", utc(2026, 12, 1, 9)),
    ("Mi 10 Uhr", utc(2026, 12, 2, 9)),
    ("Do 10 Uhr", utc(2026, 12, 3, 9)),
    ("Fr 10 Uhr", utc(2026, 12, 4, 9)),
    ("So 10 Uhr", utc(2026, 12, 6, 9)),
    ("5.12. 10 Uhr", utc(2026, 12, 5, 9)),
    ("5.12.2026 10:00", utc(2026, 12, 5, 9)),
    ("05.12.26 10:00", utc(2026, 12, 5, 9)),
    ("5. Dezember 10 Uhr", utc(2026, 12, 5, 9)),
    ("am 5. Dez. um 14:30 Uhr", utc(2026, 12, 5, 13, 30)),
    ("Sa., den 5.12. 10 Uhr", utc(2026, 12, 5, 9)),
    ("1. März 10 Uhr", utc(2027, 3, 1, 9)),
    ("1. Maerz 10 Uhr", utc(2027, 3, 1, 9)),
    ("1. Jänner 10 Uhr", utc(2027, 1, 1, 9)),
    ("2026-12-05 10:00", utc(2026, 12, 5, 9)),
    ("in 2 Stunden", utc(2026, 11, 30, 14)),
    ("in 1,5 Std.", utc(2026, 11, 30, 13, 30)),
    ("in 3 Tagen", utc(2026, 12, 3, 12)),
    ("sat 10am", utc(2026, 12, 5, 9)),
    ("tomorrow 2pm", utc(2026, 12, 1, 13)),
    # what members actually type (issue 15)
    ("Samstag, 5. Dezember 2026 um 10:00", utc(2026, 12, 5, 9)),  # as Discord writes a timestamp
    ("Samstag, 5. Dezember 2026 10:00:00", utc(2026, 12, 5, 9)),
    ("2026-12-05T10:00:00Z", utc(2026, 12, 5, 10)),
    ("@ 18 Uhr", utc(2026, 11, 30, 17)),
    ("in einer Stunde", utc(2026, 11, 30, 13)),
    ("in einer halben Stunde", utc(2026, 11, 30, 12, 30)),
    ("in 3 Tagen um 17 Uhr", utc(2026, 12, 3, 16)),
    ("halb 11", utc(2026, 12, 1, 9, 30)),  # 10:30
    ("Sa um halb elf", utc(2026, 12, 5, 9, 30)),
    ("viertel nach 9", utc(2026, 12, 1, 8, 15)),
    ("viertel vor 6 Uhr", utc(2026, 12, 1, 4, 45)),
    ("heute Abend um Mitternacht", utc(2026, 11, 30, 23)),  # the coming midnight
    ("Mittag Samstag", utc(2026, 12, 5, 11)),
]

# Madrid is UTC+1 in winter.
SPANISH = [
    ("sáb 10:00", utc(2026, 12, 5, 9)),
    ("sab 10:00", utc(2026, 12, 5, 9)),
    ("Sáb. 10h", utc(2026, 12, 5, 9)),
    ("sábado 10:00", utc(2026, 12, 5, 9)),
    ("el sábado a las 10:00", utc(2026, 12, 5, 9)),
    ("mañana 9:30", utc(2026, 12, 1, 8, 30)),
    ("manana 9:30", utc(2026, 12, 1, 8, 30)),
    ("mañana a las 9:30", utc(2026, 12, 1, 8, 30)),
    ("pasado mañana 10:00", utc(2026, 12, 2, 9)),
    ("hoy 18:00", utc(2026, 11, 30, 17)),
    ("esta noche 9", utc(2026, 11, 30, 20)),
    ("mar 10:00", utc(2026, 12, 1, 9)),  # martes, not March
    ("5 mar 10:00", utc(2027, 3, 5, 9)),  # where only a month fits, marzo
    ("mié 14h", utc(2026, 12, 2, 13)),
    ("miércoles 14h", utc(2026, 12, 2, 13)),
    ("vie 18h30", utc(2026, 12, 4, 17, 30)),
    ("dom 10:00", utc(2026, 12, 6, 9)),
    ("próximo lunes 14:00", utc(2026, 12, 7, 13)),
    ("lunes que viene 14:00", utc(2026, 12, 7, 13)),
    ("lunes 14:00", utc(2026, 11, 30, 13)),
    ("5 de diciembre 10:00", utc(2026, 12, 5, 9)),
    ("5 de dic. de 2026 10:00", utc(2026, 12, 5, 9)),
    ("5/12 10:00", utc(2026, 12, 5, 9)),
    ("05/12/2026 10:00", utc(2026, 12, 5, 9)),
    ("sáb 5 de diciembre 10:00", utc(2026, 12, 5, 9)),
    ("1º de enero 10:00", utc(2027, 1, 1, 9)),
    ("5 de setiembre 10:00", utc(2027, 9, 5, 8)),  # summer time, UTC+2
    ("mediodía", utc(2026, 12, 1, 11)),
    ("2026-12-05 10:00", utc(2026, 12, 5, 9)),
    ("en 2h", utc(2026, 11, 30, 14)),
    ("en 2 horas", utc(2026, 11, 30, 14)),
    ("dentro de 1 hora y 30 minutos", utc(2026, 11, 30, 13, 30)),
    ("sat 10am", utc(2026, 12, 5, 9)),
    ("tomorrow 2pm", utc(2026, 12, 1, 13)),
    # what members actually type (issue 15)
    ("sábado, 5 de diciembre de 2026, 10:00", utc(2026, 12, 5, 9)),  # as Discord writes a timestamp
    ("sábado, 5 de diciembre de 2026 a las 10:00", utc(2026, 12, 5, 9)),
    ("2026-12-05 10:00:00+01:00", utc(2026, 12, 5, 9)),
    ("en una hora", utc(2026, 11, 30, 13)),
    ("en media hora", utc(2026, 11, 30, 12, 30)),
    ("en 3 días a las 17:00", utc(2026, 12, 3, 16)),
    ("a las diez y media", utc(2026, 12, 1, 9, 30)),
    ("sáb 10 y cuarto", utc(2026, 12, 5, 9, 15)),
    ("6 menos cuarto", utc(2026, 12, 1, 4, 45)),
    ("mediodía y media", utc(2026, 12, 1, 11, 30)),  # 12:30 has passed in Madrid
    ("esta noche a medianoche", utc(2026, 11, 30, 23)),  # the coming midnight
]

# Paris is UTC+1 in winter.
FRENCH = [
    ("samedi 10h", utc(2026, 12, 5, 9)),
    ("sam. 10h", utc(2026, 12, 5, 9)),
    ("Samedi à 10h", utc(2026, 12, 5, 9)),
    ("10h samedi", utc(2026, 12, 5, 9)),
    ("demain 18h30", utc(2026, 12, 1, 17, 30)),
    ("demain à 18:30", utc(2026, 12, 1, 17, 30)),
    ("demain midi", utc(2026, 12, 1, 11)),
    ("après-demain 9h", utc(2026, 12, 2, 8)),
    ("apres demain 9h", utc(2026, 12, 2, 8)),
    ("aujourd'hui 18h", utc(2026, 11, 30, 17)),
    ("aujourd’hui 18h", utc(2026, 11, 30, 17)),  # the apostrophe phones type
    ("ce soir 8h", utc(2026, 11, 30, 19)),
    ("14 h 30", utc(2026, 11, 30, 13, 30)),
    ("mar 14h", utc(2026, 12, 1, 13)),  # mardi, not March
    ("mardi 14h", utc(2026, 12, 1, 13)),
    ("lundi 14h", utc(2026, 11, 30, 13)),
    ("lundi prochain 14h", utc(2026, 12, 7, 13)),
    ("5 décembre 10h", utc(2026, 12, 5, 9)),
    ("5 dec 10h", utc(2026, 12, 5, 9)),
    ("le 5 décembre à 10h", utc(2026, 12, 5, 9)),
    ("samedi 5 décembre 10h", utc(2026, 12, 5, 9)),
    ("5/12 10h", utc(2026, 12, 5, 9)),
    ("05/12/2026 10h00", utc(2026, 12, 5, 9)),
    ("1er janvier 10h", utc(2027, 1, 1, 9)),
    ("5 févr. 10h", utc(2027, 2, 5, 9)),
    ("5 mars 10h", utc(2027, 3, 5, 9)),
    ("5 août 2027 10h", utc(2027, 8, 5, 8)),  # summer time, UTC+2
    ("2026-12-05 10:00", utc(2026, 12, 5, 9)),
    ("dans 2h", utc(2026, 11, 30, 14)),
    ("dans 2 heures", utc(2026, 11, 30, 14)),
    ("dans 3 jours", utc(2026, 12, 3, 12)),
    ("sat 10am", utc(2026, 12, 5, 9)),
    ("tomorrow 2pm", utc(2026, 12, 1, 13)),
    # what members actually type (issue 15)
    ("samedi 5 décembre 2026 à 10:00", utc(2026, 12, 5, 9)),  # as Discord writes a timestamp
    ("<t:1796464800:F>", utc(2026, 12, 5, 10)),
    ("dans une heure", utc(2026, 11, 30, 13)),
    ("dans une demi-heure", utc(2026, 11, 30, 12, 30)),
    ("dans 3 jours à 17h", utc(2026, 12, 3, 16)),
    ("dix heures et demie", utc(2026, 12, 1, 9, 30)),
    ("samedi 10h et quart", utc(2026, 12, 5, 9, 15)),
    ("6h moins le quart", utc(2026, 12, 1, 4, 45)),
    ("midi et demi", utc(2026, 12, 1, 11, 30)),
    ("ce soir à minuit", utc(2026, 11, 30, 23)),  # the coming midnight
]

# São Paulo is UTC-3 all year; NOW is 09:00 there.
PORTUGUESE = [
    ("sáb 10:00", utc(2026, 12, 5, 13)),
    ("sábado 10h", utc(2026, 12, 5, 13)),
    ("no sábado às 10h", utc(2026, 12, 5, 13)),
    ("amanhã 9h", utc(2026, 12, 1, 12)),
    ("amanha 9h", utc(2026, 12, 1, 12)),
    ("amanhã às 9h", utc(2026, 12, 1, 12)),
    ("depois de amanhã 10h", utc(2026, 12, 2, 13)),
    ("hoje 18h", utc(2026, 11, 30, 21)),
    ("hoje à noite 8h", utc(2026, 11, 30, 23)),
    ("segunda-feira 10h", utc(2026, 11, 30, 13)),
    ("segunda 8h", utc(2026, 12, 7, 11)),
    ("próxima segunda 10h", utc(2026, 12, 7, 13)),
    ("ter 10h", utc(2026, 12, 1, 13)),
    ("terça-feira 10h", utc(2026, 12, 1, 13)),
    ("qua 14h30", utc(2026, 12, 2, 17, 30)),
    ("sex 18h", utc(2026, 12, 4, 21)),
    ("dom 10h", utc(2026, 12, 6, 13)),
    ("5 de dezembro 10h", utc(2026, 12, 5, 13)),
    ("5 de dez 10h", utc(2026, 12, 5, 13)),
    ("5/12 10h", utc(2026, 12, 5, 13)),
    ("05/12/2026 10h", utc(2026, 12, 5, 13)),
    ("dia 5/12 às 10h", utc(2026, 12, 5, 13)),
    ("sábado, 5 de dezembro às 10h", utc(2026, 12, 5, 13)),
    ("5 mar 10h", utc(2027, 3, 5, 13)),  # março
    ("mar 5 10h", utc(2027, 3, 5, 13)),  # no clash in Portuguese: Tuesday is "ter"
    ("1º de janeiro 10h", utc(2027, 1, 1, 13)),
    ("meio-dia", utc(2026, 11, 30, 15)),
    ("2026-12-05 10:00", utc(2026, 12, 5, 13)),
    ("em 2h", utc(2026, 11, 30, 14)),
    ("em 2 horas", utc(2026, 11, 30, 14)),
    ("daqui a 2 horas", utc(2026, 11, 30, 14)),
    ("em 1 hora e 30 minutos", utc(2026, 11, 30, 13, 30)),
    ("sat 10am", utc(2026, 12, 5, 13)),
    ("tomorrow 2pm", utc(2026, 12, 1, 17)),
    # what members actually type (issue 15)
    ("sábado, 5 de dezembro de 2026 às 10:00", utc(2026, 12, 5, 13)),  # as Discord writes a timestamp
    ("2026-12-05T10:00:00Z", utc(2026, 12, 5, 10)),
    ("em uma hora", utc(2026, 11, 30, 13)),
    ("daqui a uma hora", utc(2026, 11, 30, 13)),
    ("em meia hora", utc(2026, 11, 30, 12, 30)),
    ("em 3 dias às 17h", utc(2026, 12, 3, 20)),
    ("dez e meia", utc(2026, 11, 30, 13, 30)),
    ("sáb às 10h e meia", utc(2026, 12, 5, 13, 30)),
    ("quinze para as 6", utc(2026, 12, 1, 8, 45)),
    ("meio-dia e meia", utc(2026, 11, 30, 15, 30)),
    ("hoje à noite à meia-noite", utc(2026, 12, 1, 3)),  # the coming midnight
]

WEEKDAY_AND_DATE = {
    "Sa., den 5.12. 10 Uhr",
    "sáb 5 de diciembre 10:00",
    "samedi 5 décembre 10h",
    "sábado, 5 de dezembro às 10h",
}
TABLES = {"de": GERMAN, "es": SPANISH, "fr": FRENCH, "pt_BR": PORTUGUESE}
ALL = [(language, text, expected) for language, table in TABLES.items() for text, expected in table]


@pytest.mark.parametrize(("text", "expected"), GERMAN)
def test_german(text, expected):
    assert parse_when(text, now=NOW, tz=ZONES["de"], language="de") == expected


@pytest.mark.parametrize(("text", "expected"), SPANISH)
def test_spanish(text, expected):
    assert parse_when(text, now=NOW, tz=ZONES["es"], language="es") == expected


@pytest.mark.parametrize(("text", "expected"), FRENCH)
def test_french(text, expected):
    assert parse_when(text, now=NOW, tz=ZONES["fr"], language="fr") == expected


@pytest.mark.parametrize(("text", "expected"), PORTUGUESE)
def test_brazilian_portuguese(text, expected):
    assert parse_when(text, now=NOW, tz=ZONES["pt_BR"], language="pt_BR") == expected


def _without_accents(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


@pytest.mark.parametrize(("language", "text", "expected"), ALL)
def test_case_and_accents_do_not_matter(language, text, expected):
    for variant in (text.upper(), _without_accents(text), _without_accents(text).title()):
        assert parse_when(variant, now=NOW, tz=ZONES[language], language=language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Sa 5.12"),  # 5 December without a time, or 05:12?
        ("de", "5.12"),
        ("de", "10 Uhr am Morgen"),  # "in the morning", not "morgen" (tomorrow)
        ("de", "morgen"),
        ("de", "Sa 10"),
        ("de", "32.12. 10 Uhr"),
        ("de", "29.2.2027 10 Uhr"),
        ("de", "morgen 25 Uhr"),
        ("de", "in 2 Stundenlang"),
        ("es", "mar 5 10:00"),  # martes 5, or March 5? martes wins, and "martes 5" alone is no date
        ("es", "9:30 de la mañana"),  # "in the morning", not mañana (tomorrow)
        ("es", "sáb"),
        ("es", "31/2 10:00"),
        ("es", "5/13 10:00"),
        ("es", "en 2"),
        ("fr", "mar 5 10h"),
        ("fr", "demain"),
        ("fr", "24h"),
        ("pt_BR", "amanhã 9"),
        ("pt_BR", "em breve"),
        ("pt_BR", "5 de dezembro"),
    ],
)
def test_unparseable(language, text):
    with pytest.raises(UnparseableTime) as caught:
        parse_when(text, now=NOW, tz=ZONES[language], language=language)
    assert caught.value == UnparseableTime(text)


@pytest.mark.parametrize(
    ("language", "text", "when"),
    [
        ("de", "Fr 5.12. 10 Uhr", utc(2026, 12, 5, 9)),  # 5 Dec 2026 is a Saturday
        ("fr", "lundi 5 décembre 10h", utc(2026, 12, 5, 9)),
        ("pt_BR", "segunda 5/12 10h", utc(2026, 12, 5, 13)),
        ("es", "viernes, 5 de diciembre de 2026, 10:00", utc(2026, 12, 5, 9)),
    ],
)
def test_a_weekday_must_agree_with_its_date(language, text, when):
    with pytest.raises(WeekdayMismatch) as caught:
        parse_when(text, now=NOW, tz=ZONES[language], language=language)
    assert caught.value == WeekdayMismatch(text, when)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Sa 10", UnparseableTime("Sa 10")),  # "10 Uhr" is how German writes it; no am/pm advice
        ("de", "5.12. 10", UnparseableTime("5.12. 10")),
        ("es", "5/12 10:00", utc(2026, 12, 5, 9)),  # day first is the rule in these languages
        ("fr", "5/12 10h", utc(2026, 12, 5, 9)),
        ("pt_BR", "12/05/2026 10h", utc(2026, 5, 12, 13)),
    ],
)
def test_english_refusals_stay_english(language, text, expected):
    if isinstance(expected, datetime):
        now = NOW if expected > NOW else datetime(2026, 1, 1, tzinfo=UTC)
        assert parse_when(text, now=now, tz=ZONES[language], language=language) == expected
    else:
        with pytest.raises(UnparseableTime) as caught:
            parse_when(text, now=NOW, tz=ZONES[language], language=language)
        assert caught.value == expected


@pytest.mark.parametrize(
    ("language", "text", "when"),
    [
        ("de", "heute 9 Uhr", utc(2026, 11, 30, 8)),
        ("de", "heute Morgen 13 Uhr", utc(2026, 11, 30, 12)),  # "heute Morgen" is this morning
        ("es", "hoy 9:00", utc(2026, 11, 30, 8)),
        ("fr", "aujourd'hui 9h", utc(2026, 11, 30, 8)),
        ("pt_BR", "hoje 8h", utc(2026, 11, 30, 11)),
        ("pt_BR", "01/01/2020 10h", utc(2020, 1, 1, 13)),
    ],
)
def test_time_in_past(language, text, when):
    with pytest.raises(TimeInPast) as caught:
        parse_when(text, now=NOW, tz=ZONES[language], language=language)
    assert caught.value == TimeInPast(when)


def test_daylight_saving_rules_hold_in_every_language():
    berlin = ZoneInfo("Europe/Berlin")
    # Berlin skips 02:00-03:00 on 28 Mar 2027: 02:30 becomes 03:00 CEST, 01:00 UTC.
    spring = utc(2027, 3, 1)
    assert parse_when("28.3. 2:30 Uhr", now=spring, tz=berlin, language="de") == utc(2027, 3, 28, 1)
    assert parse_when("28 mars 2h30", now=spring, tz=berlin, language="fr") == utc(2027, 3, 28, 1)
    # 02:30 happens twice on 25 Oct 2026: the first, in summer time, is 00:30 UTC.
    autumn = utc(2026, 10, 1)
    assert parse_when("25.10. 2.30 Uhr", now=autumn, tz=berlin, language="de") == utc(2026, 10, 25, 0, 30)
    assert parse_when("25 de octubre 2:30", now=autumn, tz=berlin, language="es") == utc(2026, 10, 25, 0, 30)


# --- English unchanged -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sat 10am", utc(2026, 12, 5, 10)),
        ("mar 5 10am", utc(2027, 3, 5, 10)),  # English "mar" is March
        ("on tomorrow 2pm", utc(2026, 12, 1, 14)),
        ("10am on", utc(2026, 12, 1, 10)),
        ("tmrw 14h30", utc(2026, 12, 1, 14, 30)),
    ],
)
def test_english_is_the_default(text, expected):
    assert parse_when(text, now=NOW, tz=ZONES["en"]) == expected
    assert parse_when(text, now=NOW, tz=ZONES["en"], language="en") == expected


@pytest.mark.parametrize(
    "text",
    ["samedi 10h", "sáb 10:00", "Sa 10 Uhr", "morgen 14:00", "5/12 10:00", "5.12. 10:00", "14h", "14.00", "en 2h"],
)
def test_english_does_not_read_other_languages(text):
    with pytest.raises((UnparseableTime, AmbiguousDate)):  # "5/12": day or month first, English asks
        parse_when(text, now=NOW, tz=ZONES["en"])


@pytest.mark.parametrize("language", TIME_LANGUAGES)
@pytest.mark.parametrize(
    "text",
    [
        "sat 10am",
        "next sat 10am",
        "10am sat",
        "tomorrow 2pm",
        "5 dec 10am",
        "dec 5 10:00",
        "noon",
        "in 90m",
        "sat 5 dec 10am",
        "Saturday, December 5, 2026 at 10:00 AM",
        "6.30pm",
        "@ 10am",
        "2026-12-05T10:00:00Z",
        "<t:1796464800:F>",
        "in an hour",
        "in 3 days at 5pm",
        "half past ten",
        "quarter to 6pm",
        "tonight at midnight",
    ],
)
def test_english_words_are_read_in_every_language(language, text):
    tz = ZONES[language]
    assert parse_when(text, now=NOW, tz=tz, language=language) == parse_when(text, now=NOW, tz=tz)


def test_unknown_language():
    for language in ("pt", "de-DE", "xx", ""):
        with pytest.raises(ValueError):
            parse_when("sat 10am", now=NOW, tz=ZONES["en"], language=language)
        with pytest.raises(ValueError):
            time_examples(language)


# --- examples and durations ----------------------------------------------------------------------


def test_every_ui_language_reads_times():
    assert set(TIME_LANGUAGES) == set(LANGUAGES)


@pytest.mark.parametrize("language", TIME_LANGUAGES)
def test_time_examples_parse(language):
    examples = time_examples(language)
    assert len(examples) == 4
    for example in examples:
        assert parse_when(example, now=NOW, tz=ZONES[language], language=language) > NOW


def test_time_examples_are_in_the_language():
    assert time_examples("en") == ("sat 10am", "tomorrow 14:00", "5 dec 10:00", "in 2h")
    assert time_examples("es")[0] == "sáb 10:00"


@given(
    language=st.sampled_from(TIME_LANGUAGES),
    now=st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    zone=st.sampled_from(["Europe/Berlin", "America/Sao_Paulo", "America/New_York", "Australia/Lord_Howe", "UTC"]),
)
def test_examples_always_lie_ahead(language, now, zone):
    for example in time_examples(language):
        when = parse_when(example, now=now, tz=ZoneInfo(zone), language=language)
        assert now < when <= now + timedelta(days=366)


@given(
    case=st.sampled_from(ALL),
    now=st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
)
def test_parsed_times_are_in_the_future_or_refused(case, now):
    language, text, _ = case
    try:
        when = parse_when(text, now=now, tz=ZONES[language], language=language)
    except TimeInPast as error:
        assert error.when <= now
    except WeekdayMismatch:
        # A weekday with a date must agree with it: "samedi 5 décembre" only in years where it is.
        assert text in WEEKDAY_AND_DATE
    else:
        assert when > now


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "2 Stunden", timedelta(hours=2)),
        ("de", "90 min", timedelta(minutes=90)),
        ("de", "1,5 Std.", timedelta(minutes=90)),
        ("de", "1 Stunde und 30 Minuten", timedelta(minutes=90)),
        ("de", "3 Tage", timedelta(days=3)),
        ("es", "1 hora y 30 minutos", timedelta(minutes=90)),
        ("es", "3 días", timedelta(days=3)),
        ("es", "2 semanas", timedelta(weeks=2)),
        ("fr", "2 heures", timedelta(hours=2)),
        ("fr", "3j", timedelta(days=3)),
        ("fr", "1 semaine", timedelta(weeks=1)),
        ("pt_BR", "1 hora e 30 minutos", timedelta(minutes=90)),
        ("pt_BR", "2 dias", timedelta(days=2)),
        ("pt_BR", "2h", timedelta(hours=2)),
        ("de", "eine Stunde", timedelta(hours=1)),
        ("es", "media hora", timedelta(minutes=30)),
        ("fr", "une demi-heure", timedelta(minutes=30)),
        ("pt_BR", "uma hora", timedelta(hours=1)),
    ],
)
def test_parse_duration_in_a_language(language, text, expected):
    assert parse_duration(text, language=language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "2 Stunden"), ("en", "3 días"), ("de", "2 horas"), ("es", "2 heures"), ("fr", "2 Stunden"), ("fr", "2")],
)
def test_bad_duration_in_a_language(language, text):
    with pytest.raises(BadDuration) as caught:
        parse_duration(text, language=language)
    assert caught.value == BadDuration(text)
