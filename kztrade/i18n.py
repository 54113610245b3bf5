"""Languages: gettext catalogues (managed with Babel) for our words, Babel for numbers, dates and periods,
and the data package's own translations for data text. No Streamlit, no plotly.

Every sentence the dashboard, its charts, cards and CSV show goes through a `Tr`, so one object decides the
language of a whole view or export. Quoted words (the interview, a source's sentence) never go through it.
"""

from __future__ import annotations

import copy
import gettext
import logging
import re
import string
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale, support
from babel.dates import format_interval, format_skeleton
from babel.numbers import format_decimal


@dataclass(frozen=True)
class Language:
    """One language of the dashboard. Adding one is a row here, its catalogue (kztrade/locale/<code>/LC_MESSAGES/
    kztrade.po) and its data translations (data/translations-<code>.csv, a resource of the data package)."""

    code: str  # in the address (?lang=), the catalogue's folder and the data translations' file
    name: str  # in its own words, on the language switch
    english_name: str  # in check's messages ("the Russian text of label is missing")
    locale: str  # Babel's locale for numbers, dates and periods


# The language list: every other part (the switch, the allowlist, the browser's choice, check, the CLI, the tests)
# reads it. English is the source language and written in British conventions ("9 Nov 2023"); Russian in Russian
# ones ("9 нояб. 2023 г.").
LANGUAGES = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", "en_GB"),
        Language("ru", "Русский", "Russian", "ru"),
    )
}
LANGS = tuple(LANGUAGES)
DEFAULT_LANG = LANGS[0]
LANG_NAMES = {code: lang.name for code, lang in LANGUAGES.items()}
LOCALES = {code: lang.locale for code, lang in LANGUAGES.items()}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kztrade"
LOG = logging.getLogger("kztrade")
MINUS = "\u2212"  # a true minus sign for signed changes; the hyphen-minus reads as a dash


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet (it is translated where it is shown)."""
    return message


class Message(str):
    """A translated sentence whose `format` writes one point where a value ending in a point meets the sentence's
    own: "до янв. — авг." + "." gives "авг.", not "авг.." (Russian abbreviates months and "г.")."""

    def format(self, *args, **kwargs) -> str:  # noqa: A003 - the str method, on purpose
        out, auto = "", 0
        for literal, name, spec, conversion in string.Formatter().parse(self):
            if literal.startswith(".") and out.endswith(".") and not literal.startswith(".."):
                literal = literal[1:]
            out += literal
            if name is None:
                continue
            if name == "":
                name, auto = str(auto), auto + 1
            field = "{0" + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            out += str.format(field, args[int(name)] if name.isdigit() else kwargs[name])
        return out


# Line-breaking rules, by locale: where a space may not break. Each rule is written in its language's words, so
# running every locale's rules over any text changes only text of that language. Verbatim quotes are never typeset.
TYPOGRAPHY: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (r"(?<=\d) (?=(?:billion|million|trillion|thousand|bn|TEU)\b)", "\u00a0"),  # "17.2 billion" stays together
        (r"\u2009([–—])\u2009", "\u202f\\1\u202f"),  # Babel's "Jan – Aug": no line starts with its dash
        (
            r"\b(Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec) (\d{4})\b",
            "\\1\u00a0\\2",
        ),  # "Oct 2024": a month keeps its year
        (
            r"(?<=[A-Za-z])'(?=[A-Za-z])|(?<=s)'(?=[\s,.;:)]|$)",
            "\u2019",
        ),  # News.Az’s, officials’: the apostrophe beside curly quotes
    ),
    "ru": (
        (r"(?<=\d) (?=(?:млрд|млн|трлн|тыс\.|долл|руб|ДФЭ|TEU|%|гг?\.))", "\u00a0"),  # «27 млрд», «2024 г.», «63 %»
        (r"(?<=\S) ([—–]) ", "\u00a0\\1 "),  # «янв. — авг.»: the dash ends a line, never starts one
        (r"(?<=долл\.) (?=США)", "\u00a0"),  # «долл. США»
        (
            r"(?<![а-яА-Я])([а-я]{3,4}\.|мая|март|май|июнь|июль) (\d{4})\b",
            "\\1\u00a0\\2",
        ),  # «окт. 2024»: a month keeps its year
    ),
}
# Unit and currency words, by language: `check` refuses a translation that names a unit its original does not, or
# drops one it names (with its numbers and percent signs, see quotes.stated). A language without a row here is checked
# for numbers and percent signs only.
UNIT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "dollar": r"\$|\bdollars?\b|\bUSD\b",
        "rouble": r"\brou?bles?\b|\bRUB\b",
        "tenge": r"\btenges?\b",
        "thousand": r"\bthousands?\b",
        "million": r"\bmillions?\b|\bmn\b",
        "billion": r"\bbillions?\b|\bbn\b",
        "trillion": r"\btrillions?\b|\btrn\b",
        "teu": r"\bTEU\b",
    },
    "ru": {
        "dollar": r"\$|доллар|долл\.|\bUSD\b",
        "rouble": r"рубл|руб\.",
        "tenge": r"тенге",
        "thousand": r"тысяч|тыс\.",
        "million": r"миллион|млн",
        "billion": r"миллиард|млрд",
        "trillion": r"триллион|трлн",
        "teu": r"\bTEU\b|ДФЭ",
    },
}
_TYPO_RULES = [(re.compile(pattern), repl) for rules in TYPOGRAPHY.values() for pattern, repl in rules]


def typeset(text: str) -> str:
    """Our text with no-break spaces where the locales' rules forbid a line break."""
    for pattern, repl in _TYPO_RULES:
        text = pattern.sub(repl, text)
    return text


def unbreakable(text: str) -> str:
    """Text whose spaces never break a line: a space becomes a no-break space, a thin space a narrow no-break one."""
    return text.replace(" ", "\u00a0").replace("\u2009", "\u202f")


def sentence(text: str) -> str:
    """Text ending in one point, whether or not its last word is an abbreviation ("2023 г.", "авг.")."""
    return text if text.endswith(".") else text + "."


@lru_cache(maxsize=None)
def catalogue(lang: str, locale_dir: Path | None = None) -> gettext.NullTranslations:
    """The compiled gettext catalogue for a language; English (the source language) needs none. A language whose
    catalogue is missing falls back to English, with a warning in the log (Babel's Translations.load)."""
    if lang == DEFAULT_LANG:
        return gettext.NullTranslations()
    found = support.Translations.load(str(locale_dir or LOCALE_DIR), [lang], DOMAIN)
    if not isinstance(found, support.Translations):  # Babel gives NullTranslations when no .mo is there
        LOG.warning(
            "no %s catalogue (%s.mo) in %s: showing English; run `make i18n`", lang, DOMAIN, locale_dir or LOCALE_DIR
        )
    return found


@dataclass(frozen=True)
class Tr:
    """Our words, numbers and dates in one language, and the data package's text in that language."""

    lang: str = DEFAULT_LANG
    data: dict[tuple[str, str, str], str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.lang])

    def _(self, message: str) -> str:
        """One of our sentences, translated."""
        return Message(catalogue(self.lang).gettext(message))

    def n_(self, singular: str, plural: str, n: int) -> str:
        """One of our sentences with a count, in the right plural form."""
        return Message(catalogue(self.lang).ngettext(singular, plural, n))

    def d(self, table: str, record: str, field_name: str, english: str) -> str:
        """A data field's text in this language (data/translations-<lang>.csv); English is the field itself."""
        if self.lang == DEFAULT_LANG or not english:
            return english
        return self.data.get((table, record, field_name), english)

    def num(self, value: float, places: int = 0) -> str:
        """A number with exactly `places` decimals, in this language's conventions (17,2 in Russian)."""
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def signed(self, value: float, places: int = 1) -> str:
        """A signed number with a true minus: '+1.2', '−9.0'."""
        body = self.num(abs(value), places)
        return ("+" if value > 0 else MINUS if value < 0 else "") + body

    def pct(self, value: float, places: int = 0, signed: bool = False) -> str:
        """A percent in this language's pattern ('63%' in English, '63 %' in Russian), optionally signed."""
        pattern = copy.copy(self.locale.percent_formats[None])
        pattern.frac_prec = (places, places)
        body = pattern.apply(abs(value) / 100, self.locale)
        if not signed:
            return body if value >= 0 else MINUS + body
        return ("+" if value > 0 else MINUS if value < 0 else "") + body

    def date(self, text: str) -> str:
        """A YYYY[-MM[-DD]] string for readers: '9 Nov 2023', 'Nov 2023', '2023'."""
        parts = [int(p) for p in text.split("-")] if text else []
        if len(parts) == 3:
            return format_skeleton("yMMMd", date(*parts), locale=self.locale)
        if len(parts) == 2:
            return format_skeleton("yMMM", date(parts[0], parts[1], 1), locale=self.locale)
        return str(parts[0]) if parts else ""

    def date_range(self, start: str, end: str = "") -> str:
        """A date, or a span of days: '9 Aug 2023', '22–24 Oct 2024'."""
        if not end:
            return self.date(start)
        return format_interval(date.fromisoformat(start), date.fromisoformat(end), "yMMMd", locale=self.locale)

    def month_year(self, d: date) -> str:
        """A month and year: 'Aug 2023'."""
        return format_skeleton("yMMM", d, locale=self.locale)

    def months(self, start: date, end: date) -> str:
        """The months of a period without its year: 'Jan – Aug'."""
        if start.month == end.month:
            return format_skeleton("MMM", start, locale=self.locale)
        return format_interval(start, end.replace(day=1), "MMM", locale=self.locale)

    def period(self, start: date, end: date) -> str:
        """A period of whole months: '2023' for a calendar year, 'Jan – Aug 2024' otherwise. Its spaces do not break:
        a period is read as one item, never 'Jan –' at a line's end and 'Aug 2024' on the next."""
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            return str(start.year)
        if (start.year, start.month) == (end.year, end.month):
            return unbreakable(self.month_year(start))
        return unbreakable(format_interval(start, end.replace(day=1), "yMMM", locale=self.locale))


@lru_cache(maxsize=None)
def plain(lang: str = DEFAULT_LANG) -> Tr:
    """A translator with no data text (for messages that quote no data)."""
    return Tr(lang)
