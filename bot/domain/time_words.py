"""The words people type for days, months, today/tomorrow and times in each language Rota speaks.

Each language is a small table (`Words`: weekdays, months, "tomorrow", "at", duration units, ...);
`words_for(code)` compiles it into the patterns `timeparse` reads with (`Language`). Languages other
than English also take Babel's (CLDR) weekday and month names, fold accents and drop the dots of
abbreviations ("Sáb." is "sab"), and read English's words too; English reads only its own.

Clashes: where English and a language share a word, the language's own meaning wins. A word that is
both a weekday and a month ("mar": Tuesday in Spanish and French) is the weekday wherever a weekday
can stand and the month only after a day number ("5 mar"), so a month-first "mar 5" is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from babel.dates import get_day_names, get_month_names

#: The languages `parse_when` reads, by their catalogue names (as in `bot.ui.i18n.LANGUAGES`).
TIME_LANGUAGES = ("en", "de", "es", "fr", "pt_BR")

_WEEK, _DAY, _HOUR, _MINUTE = timedelta(weeks=1), timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


@dataclass(frozen=True)
class Words:
    """What members of one language type. Words may carry accents, hyphens and apostrophes: each is
    also read without them ("après-demain", "apres demain", "apresdemain")."""

    weekdays: tuple[tuple[str, ...], ...]  # Monday first
    months: tuple[tuple[str, ...], ...]  # January first
    days_ahead: Mapping[str, int]  # {"tomorrow": 1}
    evenings: Mapping[str, int]  # like days_ahead, and then an hour 1-11 is pm: "tonight 7"
    next_words: tuple[str, ...]  # before a weekday: "next sat" is never today
    next_after: tuple[str, ...]  # the same after it: "samedi prochain"
    this_words: tuple[str, ...]  # before a weekday, meaning nothing more: "this sat"
    at_words: tuple[str, ...]  # before a time: "at 10am", "um 10 Uhr", "a las 10:00"
    on_words: tuple[str, ...]  # before a day: "on sat", "am Samstag", "le 5 décembre"
    in_words: tuple[str, ...]  # before a duration: "in 2h", "dans 2 heures"
    named_times: Mapping[str, int]  # {"noon": 12}
    hour_marks: tuple[str, ...]  # "14 Uhr", "14h", "14h30"; none: minutes needed ("14:00", "14h30")
    day_suffixes: tuple[str, ...]  # after the day number: "5th", "5. Dezember", "1er", "1º"
    of_words: tuple[str, ...]  # between day and month: "5 of dec", "5 de diciembre"
    year_of: tuple[str, ...]  # between month and year: "5 de diciembre de 2026"
    numeric_date: str | None  # a day-first date in digits (groups d, mo, y): "5.12.", "5/12/2026"
    units: tuple[tuple[timedelta, tuple[str, ...]], ...]
    and_words: tuple[str, ...]  # between duration parts: "1 hour and 30 minutes"
    one_words: Mapping[str, float]  # a number in words before a unit: "an hour", "eine Stunde", "half an hour"
    hour_words: tuple[tuple[str, ...], ...]  # one to twelve, for clock phrases ("half past ten")
    # Spoken clock times: a regex (already folded) around `{h}`, the hour (digits, a word or "noon"),
    # and the minutes it adds to that hour: ("half past {h}", 30), German ("halb {h}", -30).
    clock_phrases: tuple[tuple[str, int], ...]
    # Whether an on word may also stand before "today"/"tomorrow" and after a time ("10am on sat"), as
    # English always allowed. Otherwise it only goes right before a weekday or a date, so German
    # "10 Uhr am Morgen" (in the morning) is never read as "morgen" (tomorrow).
    loose_on: bool
    examples: tuple[str, str, str, str]  # shown when a time cannot be read; each must parse


_ENGLISH = Words(
    weekdays=(
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    ),
    months=(
        ("jan", "january"),
        ("feb", "february"),
        ("mar", "march"),
        ("apr", "april"),
        ("may",),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "sept", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    days_ahead={"today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1},
    evenings={"tonight": 0},
    next_words=("next",),
    next_after=(),
    this_words=("this",),
    at_words=("at",),
    on_words=("on",),
    in_words=("in",),
    named_times={"noon": 12, "midday": 12, "midnight": 0},
    hour_marks=(),
    day_suffixes=("st", "nd", "rd", "th"),
    of_words=("of",),
    year_of=(),
    numeric_date=None,  # "5/12" is 5 Dec in London and May 12 in New York: only ISO dates
    units=(
        (_WEEK, ("w", "wk", "wks", "week", "weeks")),
        (_DAY, ("d", "day", "days")),
        (_HOUR, ("h", "hr", "hrs", "hour", "hours")),
        (_MINUTE, ("m", "min", "mins", "minute", "minutes")),
    ),
    and_words=("and",),
    one_words={"a": 1, "an": 1, "half an": 0.5, "half a": 0.5},
    hour_words=(
        ("one",),
        ("two",),
        ("three",),
        ("four",),
        ("five",),
        ("six",),
        ("seven",),
        ("eight",),
        ("nine",),
        ("ten",),
        ("eleven",),
        ("twelve",),
    ),
    clock_phrases=(("half past {h}", 30), ("(?:a )?quarter past {h}", 15), ("(?:a )?quarter to {h}", -15)),
    loose_on=True,
    examples=("sat 10am", "tomorrow 14:00", "5 dec 10:00", "in 2h"),
)

_DAY_FIRST_SLASHES = r"^(?P<d>\d{1,2})/(?P<mo>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?$"

# In German "am" is "on" ("am Samstag"); "10 am Samstag" is still read as 10am, which is 10:00 either
# way. "morgen" is tomorrow; "am Morgen" (in the morning) is refused, not read as tomorrow. A date in
# digits takes its dot ("5.12." or "5.12.2026"), because "14.30" is a time.
_GERMAN = Words(
    weekdays=(("mo", "mon"), ("di",), ("mi",), ("do",), ("fr",), ("sa",), ("so",)),
    months=(
        ("jan", "jänner"),
        ("feb", "feber"),
        ("mär", "maerz", "mrz"),
        ("apr",),
        ("mai",),
        ("jun",),
        ("jul",),
        ("aug",),
        ("sep", "sept"),
        ("okt",),
        ("nov",),
        ("dez",),
    ),
    days_ahead={
        "heute": 0,
        "heute morgen": 0,
        "heute früh": 0,
        "heute frueh": 0,
        "morgen": 1,
        "morgen früh": 1,
        "morgen frueh": 1,
        "übermorgen": 2,
        "uebermorgen": 2,
    },
    evenings={"heute abend": 0, "morgen abend": 1},
    next_words=("nächsten", "nächster", "nächste", "naechsten", "kommenden", "kommender", "kommende"),
    next_after=(),
    this_words=("diesen", "dieser", "diese"),
    at_words=("um",),
    on_words=("am", "den"),
    in_words=("in",),
    named_times={"mittag": 12, "mitternacht": 0},
    hour_marks=("uhr", "h"),
    day_suffixes=(".",),
    of_words=(),
    year_of=(),
    numeric_date=r"^(?P<d>\d{1,2})\.(?P<mo>\d{1,2})(?:\.(?P<y>\d{4}|\d{2})?)?$",
    units=(
        (_WEEK, ("woche", "wochen")),
        (_DAY, ("tag", "tage", "tagen")),
        (_HOUR, ("std", "stunde", "stunden")),
        (_MINUTE, ("minute", "minuten")),
    ),
    and_words=("und",),
    one_words={"ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "eine halbe": 0.5, "einer halben": 0.5},
    hour_words=(
        ("eins", "ein"),
        ("zwei",),
        ("drei",),
        ("vier",),
        ("fünf",),
        ("sechs",),
        ("sieben",),
        ("acht",),
        ("neun",),
        ("zehn",),
        ("elf",),
        ("zwölf",),
    ),
    clock_phrases=(("halb {h}", -30), ("viertel nach {h}", 15), ("viertel vor {h}", -15)),  # "halb 11" is 10:30
    loose_on=False,
    examples=("Sa 10 Uhr", "morgen 14 Uhr", "5.12. 10:00", "in 2 Stunden"),
)

# "mar" is martes (Tuesday) where a weekday can stand and marzo where only a month can ("5 mar");
# so the English month-first "mar 5" is refused rather than read as March. "mañana" is tomorrow;
# "de la mañana" (in the morning) is refused, not read as tomorrow.
_SPANISH = Words(
    weekdays=(
        ("lun",),
        ("mar",),
        ("mié", "mier"),
        ("jue",),
        ("vie",),
        ("sáb",),
        ("dom",),
    ),
    months=(
        ("ene",),
        ("feb",),
        ("mar",),
        ("abr",),
        ("may",),
        ("jun",),
        ("jul",),
        ("ago",),
        ("sep", "sept", "set", "setiembre"),
        ("oct",),
        ("nov",),
        ("dic",),
    ),
    days_ahead={"hoy": 0, "mañana": 1, "pasado mañana": 2},
    evenings={"esta noche": 0, "mañana por la noche": 1, "mañana en la noche": 1},
    next_words=("próximo",),
    next_after=("próximo", "que viene"),
    this_words=("este",),
    at_words=("a las", "a la", "a"),  # "a las 10:00", "a medianoche"
    on_words=("el",),
    in_words=("en", "dentro de"),
    named_times={"mediodía": 12, "medianoche": 0},
    hour_marks=("h", "hs", "hrs"),
    day_suffixes=("º",),
    of_words=("de",),
    year_of=("de",),
    numeric_date=_DAY_FIRST_SLASHES,
    units=(
        (_WEEK, ("semana", "semanas", "sem")),
        (_DAY, ("día", "días")),
        (_HOUR, ("hora", "horas", "hs")),
        (_MINUTE, ("minuto", "minutos")),
    ),
    and_words=("y",),
    one_words={"un": 1, "una": 1, "media": 0.5},
    hour_words=(
        ("una", "uno"),
        ("dos",),
        ("tres",),
        ("cuatro",),
        ("cinco",),
        ("seis",),
        ("siete",),
        ("ocho",),
        ("nueve",),
        ("diez",),
        ("once",),
        ("doce",),
    ),
    clock_phrases=(("{h} y media", 30), ("{h} y cuarto", 15), ("{h} menos cuarto", -15)),
    loose_on=False,
    examples=("sáb 10:00", "mañana 9:30", "5 de diciembre 10:00", "en 2 horas"),
)

# "mar" is mardi (Tuesday) where a weekday can stand; March is "mars". Only "5 mar" reads English's
# March, and the month-first "mar 5" is refused.
_FRENCH = Words(
    weekdays=(("lun",), ("mar",), ("mer",), ("jeu",), ("ven",), ("sam",), ("dim",)),
    months=(
        ("jan", "janv"),
        ("fév", "févr"),
        ("mars",),
        ("avr",),
        ("mai",),
        ("juin",),
        ("juil",),
        ("août",),
        ("sep", "sept"),
        ("oct",),
        ("nov",),
        ("déc",),
    ),
    days_ahead={"aujourd'hui": 0, "demain": 1, "après-demain": 2},
    evenings={"ce soir": 0, "demain soir": 1},
    next_words=(),
    next_after=("prochain",),
    this_words=("ce",),
    at_words=("à",),
    on_words=("le",),
    in_words=("dans",),
    named_times={"midi": 12, "minuit": 0},
    hour_marks=("h",),
    day_suffixes=("er",),
    of_words=(),
    year_of=(),
    numeric_date=_DAY_FIRST_SLASHES,
    units=(
        (_WEEK, ("semaine", "semaines", "sem")),
        (_DAY, ("jour", "jours", "j")),
        (_HOUR, ("heure", "heures")),
        (_MINUTE, ("minute", "minutes", "mn")),
    ),
    and_words=("et",),
    one_words={"un": 1, "une": 1, "une demi": 0.5, "une demie": 0.5},
    hour_words=(
        ("une", "un"),
        ("deux",),
        ("trois",),
        ("quatre",),
        ("cinq",),
        ("six",),
        ("sept",),
        ("huit",),
        ("neuf",),
        ("dix",),
        ("onze",),
        ("douze",),
    ),
    clock_phrases=(
        ("{h}(?: heures?)? et demie?", 30),
        ("{h}(?: heures?)? et quart", 15),
        ("{h}(?: heures?)? moins (?:le )?quart", -15),
    ),
    loose_on=False,
    examples=("samedi 10h", "demain 18h30", "5 décembre 10h", "dans 2 heures"),
)

# Portuguese "mar" is março (March) and Tuesday is "ter(ça)", so nothing clashes.
_PORTUGUESE = Words(
    weekdays=(
        ("seg", "segunda"),
        ("ter", "terça"),
        ("qua", "quarta"),
        ("qui", "quinta"),
        ("sex", "sexta"),
        ("sáb",),
        ("dom",),
    ),
    months=(
        ("jan",),
        ("fev",),
        ("mar",),
        ("abr",),
        ("mai",),
        ("jun",),
        ("jul",),
        ("ago",),
        ("set",),
        ("out",),
        ("nov",),
        ("dez",),
    ),
    days_ahead={"hoje": 0, "amanhã": 1, "depois de amanhã": 2},
    evenings={"hoje à noite": 0, "hoje de noite": 0, "esta noite": 0, "amanhã à noite": 1, "amanhã de noite": 1},
    next_words=("próximo", "próxima"),
    next_after=("que vem", "próximo", "próxima"),
    this_words=("este", "esta", "neste", "nesta"),
    at_words=("às", "a"),
    on_words=("no", "na", "dia", "no dia"),
    in_words=("em", "daqui a", "dentro de"),
    named_times={"meio-dia": 12, "meia-noite": 0},
    hour_marks=("h", "hs", "hrs"),
    day_suffixes=("º",),
    of_words=("de",),
    year_of=("de",),
    numeric_date=_DAY_FIRST_SLASHES,
    units=(
        (_WEEK, ("semana", "semanas", "sem")),
        (_DAY, ("dia", "dias")),
        (_HOUR, ("hora", "horas", "hs")),
        (_MINUTE, ("minuto", "minutos")),
    ),
    and_words=("e",),
    one_words={"um": 1, "uma": 1, "meia": 0.5},
    hour_words=(
        ("uma", "um"),
        ("duas", "dois"),
        ("três",),
        ("quatro",),
        ("cinco",),
        ("seis",),
        ("sete",),
        ("oito",),
        ("nove",),
        ("dez",),
        ("onze",),
        ("doze",),
    ),
    clock_phrases=(("{h} e meia", 30), ("{h} e quinze", 15), ("quinze (?:para as|pras) {h}", -15)),
    loose_on=False,
    examples=("sáb 10:00", "amanhã 9h", "5/12 10h", "em 2 horas"),
)

_WORDS: dict[str, Words] = {"en": _ENGLISH, "de": _GERMAN, "es": _SPANISH, "fr": _FRENCH, "pt_BR": _PORTUGUESE}

# "10am", "10:30 pm", "6.30pm", "10:00:00 AM" (as Discord writes its long times).
_AMPM = r"(?P<h12>\d{1,2})(?:[:.](?P<m12>\d{2})(?::(?P<s12>\d{2}))?)?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)"


def fold(text: str) -> str:
    """Lower-case, without accents or the dots of abbreviations ("Sáb." -> "sab", "a.m." -> "am")."""
    text = re.sub(r"[’‘`´]", "'", text.lower())  # apostrophes as phones and keyboards type them
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return re.sub(r"(?<=[a-z])\.", "", text)


def _forms(word: str) -> set[str]:
    """A table word as members may type it: folded, and with its hyphens and apostrophes as a space
    or as nothing."""
    forms = {fold(word)}
    for mark in "-'":
        forms |= {form.replace(mark, " ") for form in forms} | {form.replace(mark, "") for form in forms}
    return {re.sub(r"\s+", " ", form).strip() for form in forms}


def _either(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first; one that never matches if there are none."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(re.escape(word) for word in ordered) if ordered else "(?!)"


def _numbered(groups: Iterable[tuple[str, ...]], *, start: int) -> dict[str, int]:
    return {form: number for number, names in enumerate(groups, start=start) for name in names for form in _forms(name)}


@cache
def _cldr_names(code: str) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """Babel's weekday (Monday first) and month names for a language: wide and abbreviated, in both
    the format and the stand-alone context."""
    days: list[tuple[str, ...]] = [() for _ in range(7)]
    months: list[tuple[str, ...]] = [() for _ in range(12)]
    for context in ("format", "stand-alone"):
        for day, name in get_day_names("wide", context, locale=code).items():
            days[day] += (str(name), str(get_day_names("abbreviated", context, locale=code)[day]))
        for month, name in get_month_names("wide", context, locale=code).items():
            months[month - 1] += (str(name), str(get_month_names("abbreviated", context, locale=code)[month]))
    return tuple(days), tuple(months)


@dataclass(frozen=True)
class Language:
    """A language's words, compiled into the patterns the parser uses."""

    code: str  # as in TIME_LANGUAGES
    fold: bool  # fold accents and abbreviation dots (every language but English)
    weekdays: Mapping[str, int]
    months: Mapping[str, int]
    days_ahead: Mapping[str, int]  # evenings included
    evenings: tuple[str, ...]
    named_times: Mapping[str, int]
    units: Mapping[str, timedelta]
    one_words: Mapping[str, float]
    short_months: tuple[str, ...]  # the language's own first name of each month ("dec"), for examples
    loose_on: bool
    examples: tuple[str, str, str, str]
    time_at_end: re.Pattern[str]
    time_at_start: re.Pattern[str]
    bare_hour: re.Pattern[str]
    hour_alone: re.Pattern[str]  # "sat 10", "tomorrow at 10": an hour with no minutes and no am/pm
    clock_phrases: tuple[tuple[re.Pattern[str], int], ...]  # "half past {h}" and the minutes it adds
    hour_words: Mapping[str, int]
    on: re.Pattern[str]
    weekday: re.Pattern[str]
    weekday_then_date: re.Pattern[str]  # "samedi 5 décembre", "Saturday, December 5, 2026"
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    numeric_date: re.Pattern[str] | None
    relative: re.Pattern[str]
    duration_part: re.Pattern[str]
    duration_glue: re.Pattern[str]


def _clock_phrase(phrase: str, hour: str) -> re.Pattern[str]:
    """A clock phrase ("half past {h}") as a pattern: any spaces, the hour, then am/pm if given."""
    body = phrase.replace(" ", r"\s+").replace("{h}", hour)
    return re.compile(rf"(?<![\w:.])(?:{body})(?:\s*(?P<ampm>am|pm|a\.m\.|p\.m\.))?(?![\w:])")


@cache
def words_for(code: str) -> Language:
    """The compiled language; English's words are added under every other language's own."""
    if code not in _WORDS:
        raise ValueError(f"language must be one of {', '.join(TIME_LANGUAGES)}, not {code!r}")
    own = _WORDS[code]
    tables = [own] if code == "en" else [_ENGLISH, own]  # on a clash the language's own word wins

    def any_of(pick: Callable[[Words], Iterable[str]]) -> str:
        return _either(form for table in tables for word in pick(table) for form in _forms(word))

    def mapping(pick: Callable[[Words], Mapping[str, int]]) -> dict[str, int]:
        return {form: value for table in tables for word, value in pick(table).items() for form in _forms(word)}

    weekdays: dict[str, int] = {}
    months: dict[str, int] = {}
    for table in tables:
        weekdays |= _numbered(table.weekdays, start=0)
        months |= _numbered(table.months, start=1)
    if code != "en":
        cldr_days, cldr_months = _cldr_names(code)
        weekdays |= _numbered(cldr_days, start=0)
        months |= _numbered(cldr_months, start=1)
    units = {form: unit for table in tables for unit, names in table.units for name in names for form in _forms(name)}
    one_words = {form: value for table in tables for word, value in table.one_words.items() for form in _forms(word)}
    hour_words: dict[str, int] = {}
    for table in tables:
        hour_words |= _numbered(table.hour_words, start=1)
    evenings = mapping(lambda table: table.evenings)
    named_times = mapping(lambda table: table.named_times)

    weekday, month, suffix = _either(weekdays), _either(months), any_of(lambda t: t.day_suffixes)
    # Where a month may come first ("dec 5"), a word that is also a weekday is read as the weekday.
    month_first = _either(name for name in months if name not in weekdays)
    seconds = r"(?::(?P<s24>\d{2})(?:\.\d{1,6})?)?"  # "10:00:00" as Discord and ISO write it
    if own.hour_marks:
        mark = rf"(?:{any_of(lambda t: t.hour_marks)})(?![a-z])"
        clock = (
            rf"(?P<h24>\d{{1,2}})(?:(?:[:h]|(?P<dot>\.))(?P<m24>\d{{2}}){seconds}(?:\s*(?P<mark>{mark}))?"
            rf"|\s*{mark}(?:\s*(?P<m24b>\d{{2}}))?)"
        )
        named = rf"\b(?P<named>{_either(named_times)})"
    else:  # English: 14:00 or 14h30, minutes required
        mark = "(?!)"
        clock = rf"(?P<h24>\d{{1,2}})[:h](?P<m24>\d{{2}}){seconds}"
        named = rf"(?P<named>{_either(named_times)})"
    # "half past ten", "quarter to 6pm", "halb 11", "diez y media": the hour in digits or words.
    phrase_hour = rf"(?P<h>\d{{1,2}}|{_either(hour_words)}|{_either(named_times)})(?:\s*{mark})?"
    clock_phrases = tuple(
        (_clock_phrase(phrase, phrase_hour), minutes) for table in tables for phrase, minutes in table.clock_phrases
    )
    time_re = f"{named}|{_AMPM}|{clock}"
    at, on = any_of(lambda t: t.at_words), any_of(lambda t: t.on_words)
    on_after_time = rf"(?:\b(?:{on})\b)?\s*" if own.loose_on else ""
    which = rf"(?:(?P<next>{any_of(lambda t: t.next_words)})\s+|(?:{any_of(lambda t: t.this_words)})\s+)?"
    after = rf"(?:\s+(?P<after>{any_of(lambda t: t.next_after)}))?"
    of, year_of = any_of(lambda t: t.of_words), any_of(lambda t: t.year_of)
    return Language(
        code=code,
        fold=code != "en",
        weekdays=weekdays,
        months=months,
        days_ahead=mapping(lambda table: table.days_ahead) | evenings,
        evenings=tuple(evenings),
        named_times=named_times,
        units=units,
        one_words=one_words,
        short_months=tuple(names[0] for names in own.months),
        loose_on=own.loose_on,
        examples=own.examples,
        time_at_end=re.compile(rf"^(?P<rest>.*?)\s*(?:\b(?:{at})\s+)?(?:{time_re})$"),
        time_at_start=re.compile(rf"^(?:{time_re})\s*{on_after_time}(?P<rest>.*)$"),
        bare_hour=re.compile(rf"^(?P<rest>.*?)\s*(?:\b(?:{at})\s+)?(?P<hour>\d{{1,2}})$"),
        hour_alone=re.compile(rf"^(?:(?P<rest>.*?\S)\s+)??(?:(?:{at})\s+)?(?P<hour>\d{{1,2}})$"),
        clock_phrases=clock_phrases,
        hour_words=hour_words,
        on=re.compile(rf"^(?:{on})\s+"),
        weekday=re.compile(rf"^{which}(?P<wd>{weekday})\.?{after}$"),
        weekday_then_date=re.compile(rf"^(?P<wd>{weekday})\.?\s+(?P<date>.+)$"),
        day_month=re.compile(
            rf"^(?P<d>\d{{1,2}})(?:{suffix})?\s*(?:(?:{of})\s+)?(?P<mon>{month})\.?"
            rf"(?:\s+(?:(?:{year_of})\s+)?(?P<y>\d{{4}}))?$"
        ),
        month_day=re.compile(rf"^(?P<mon>{month_first})\.?\s*(?P<d>\d{{1,2}})(?:{suffix})?(?:\s+(?P<y>\d{{4}}))?$"),
        numeric_date=None if own.numeric_date is None else re.compile(own.numeric_date),
        relative=re.compile(rf"^(?:{any_of(lambda t: t.in_words)})\s+(?P<duration>.+)$"),
        duration_part=re.compile(
            rf"(?:(?P<number>\d{{1,6}}(?:[.,]\d{{1,6}})?)\s*|(?<![a-z])(?P<word>{_either(one_words)})(?:\s+|-))"
            rf"(?P<unit>{_either(units)})(?![a-z])"
        ),
        duration_glue=re.compile(rf"^(?:\s|,|{any_of(lambda t: t.and_words)})*$"),
    )


def time_examples(language: str) -> tuple[str, ...]:
    """Four start times as members of `language` write them (for "Try `sáb 10:00`, ...")."""
    return words_for(language).examples
