"""How a source's sentence states a number: where the number is, and whether its words make it a bound.

Used by `check` to prove that a figure's value is in its quote and that its `bound` agrees with the quote's
words. The sources print numbers as "$28.2-billion", "28,2 млрд", "1,5 трлн рублей", "$14bn", "17 billion".
No Streamlit, no plotly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

from .i18n import UNIT_WORDS

# A number as printed, found by this pattern and read by Babel in the quote's own locale: digits in groups of
# three after a comma, a point or a no-break space ("1,500", "1.500", "1 500"), or digits with an optional
# decimal part after "." or ",". Which of "1,500" and "1.500" is a thousand and a half, the locale says.
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?![\d,.]\d)|\d+(?:[.,]\d+)?)(?![\d])")
LOCALES = {
    "en": "en",
    "ru": "ru",
    "kk": "kk",
    "de": "de",
    "hy": "hy",
}  # a quote's language -> the CLDR locale that reads it
# Where one statement of a number ends and the next begins: a sentence end, a comma, a semicolon, a colon,
# a bracket or a dash set off by spaces. A bound word qualifies only the number in its own clause.
CLAUSE_BREAK = re.compile(r"[.;:!?։](?=\s)|[,;()«»“”\"]|\s[-–—]\s")
_W = r"(?<![\w])"  # a word start that works for Latin, Cyrillic and Armenian letters alike

# Words before a number that make it a lower bound or an approximation, nearest first.
LOWER_BEFORE = [
    rf"{_W}exceed\w*",
    rf"{_W}over\b",
    rf"{_W}more than\b",
    rf"{_W}above\b",
    rf"{_W}свыше\b",
    rf"{_W}более\b",
    rf"{_W}больше\b",
    rf"{_W}превыс\w*",
    rf"{_W}превыша\w*",
    rf"{_W}überst\w*",
    rf"{_W}mehr als\b",
    rf"{_W}über\b",
    rf"{_W}գերազանց\w*",
]
APPROX_BEFORE = [
    rf"{_W}nearly\b",
    rf"{_W}almost\b",
    rf"{_W}about\b",
    rf"{_W}around\b",
    rf"{_W}approximately\b",
    rf"{_W}около\b",
    rf"{_W}почти\b",
    rf"{_W}примерно\b",
    rf"{_W}порядка\b",
    rf"{_W}fast\b",
    rf"{_W}etwa\b",
    rf"{_W}rund\b",
    rf"{_W}մոտ(?![\w])",
]
# Words just after a number: "the $28 billion mark" is exact; "28 billion or more" is a lower bound.
EXACT_AFTER = [r"^\s*\S*\s*\S*\s*mark\b", r"^\s*\S*\s*\S*\s*отметк\w*"]
LOWER_AFTER = [r"^\s*\S*\s*\S*\s*(or more|plus)\b", r"^\s*\S*\s*\S*\s*с (лишним|чем-то)"]
# Phrases by which a source says the figure is its own side's data.
OWN_DATA = [r"according to our data", r"по нашим данным", r"nach unseren (daten|angaben)"]

BOUND_WORDS = {"lower_bound": LOWER_BEFORE, "approximate": APPROX_BEFORE}


@dataclass(frozen=True)
class Found:
    """One number in a text: its value and where it stands."""

    value: float
    start: int
    end: int
    text: str


def parse_number(text: str, lang: str = "en") -> float:
    """A printed number as a float, read in its language: '28,2' (ru) -> 28.2, '1,500' (en) -> 1500.0, '1.500' (de) ->
    1500.0,
    '1 500' with a no-break space (ru) -> 1500.0. A form the locale does not read is read the plain way ('17' ->
    17.0)."""
    if text.isascii() and text.isdigit():  # no separator to read (most numbers: years, days): no locale needed
        return float(text)
    locale = LOCALES.get(lang, "en")
    grouped = re.sub(r"[\u00a0\u202f]", get_group_symbol(locale), text)
    try:
        return float(parse_decimal(grouped, locale=locale, strict=True))
    except (
        NumberFormatError
    ):  # a form the locale does not write (an English "1,500" in a Russian quote): the plain reading
        if re.fullmatch(r"\d{1,3}([,.\u00a0\u202f]\d{3})+", text):
            return float(re.sub(r"[,.\u00a0\u202f]", "", text))
        return float(text.replace(",", "."))


def numbers_in(text: str, lang: str = "en") -> list[Found]:
    """Every number printed in a text, in order, read in the text's language."""
    return [Found(parse_number(m.group(1), lang), m.start(1), m.end(1), m.group(1)) for m in NUMBER.finditer(text)]


DATE_TOKEN = re.compile(r"\{(?:date|period|range):[^{}]*\}")  # our date tokens: read the same in every language
# A Roman numeral of two letters or more ("XVII Форум", "the 17th forum"): Russian numbers congresses and summits so.
ROMAN = re.compile(r"(?<![\w])(?=[MDCLXVI]{2,}(?![\w]))M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?![\w])")
ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def roman_value(numeral: str) -> int:
    """XVII -> 17."""
    values = [ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass(frozen=True)
class Stated:
    """What a text states that a translation must keep: its numbers, its percent signs and its units."""

    numbers: tuple[float, ...]
    percents: int
    units: frozenset[str]


def stated(text: str, lang: str = "en", units_of: str = "") -> Stated:
    """The numbers (in order of size), percent signs and unit words of a text, read in its language; date tokens are
    left out, as they print the same in every language. units_of names the language whose unit words are read."""
    text = DATE_TOKEN.sub(" ", text)
    words = UNIT_WORDS.get(units_of or lang, {})
    romans = [float(roman_value(m.group(0))) for m in ROMAN.finditer(text)]
    return Stated(
        tuple(sorted([n.value for n in numbers_in(text, lang)] + romans)),
        text.count("%") + len(re.findall(r"\bper ?cent\b|процент", text)),
        frozenset(unit for unit, pattern in words.items() if re.search(pattern, text, re.IGNORECASE)),
    )


def lost_in_translation(original: str, original_lang: str, translation: str, lang: str) -> str:
    """What a translation drops or adds of its original's numbers, percent signs and units, said in a few words; ''
    when it keeps them all. Units are compared only where both languages have unit words."""
    a, b = stated(original, original_lang), stated(translation, lang)
    problems = []
    if a.numbers != b.numbers:
        missing = [n for n in a.numbers if n not in b.numbers]
        extra = [n for n in b.numbers if n not in a.numbers]
        said = "; ".join(
            part
            for part in (
                f"drops {', '.join(f'{n:g}' for n in missing)}" if missing else "",
                f"adds {', '.join(f'{n:g}' for n in extra)}" if extra else "",
            )
            if part
        )
        problems.append(said or f"prints its numbers {len(b.numbers)} times, the original {len(a.numbers)}")
    if a.percents != b.percents:
        problems.append(f"has {b.percents} percent sign(s), the original {a.percents}")
    if original_lang in UNIT_WORDS and lang in UNIT_WORDS and a.units != b.units:
        dropped, added = sorted(a.units - b.units), sorted(b.units - a.units)
        problems.append(
            "; ".join(
                p
                for p in (f"drops {', '.join(dropped)}" if dropped else "", f"adds {', '.join(added)}" if added else "")
                if p
            )
        )
    return "; ".join(problems)


def find_value(text: str, value: float, lang: str = "en") -> Found | None:
    """The first place a text prints this value (read in the text's language), or None."""
    return next((n for n in numbers_in(text, lang) if abs(n.value - value) < 1e-9), None)


def clause_before(text: str, found: Found) -> str:
    """The words before a number, back to the previous number or clause break."""
    start = 0
    for n in numbers_in(text):
        if n.end <= found.start:
            start = max(start, n.end)
    for m in CLAUSE_BREAK.finditer(text, 0, found.start):
        start = max(start, m.end())
    return text[start : found.start]


def clause_after(text: str, found: Found) -> str:
    """The words after a number, up to the next number or clause break."""
    end = len(text)
    nxt = next((n for n in numbers_in(text) if n.start >= found.end), None)
    if nxt is not None:
        end = nxt.start
    m = CLAUSE_BREAK.search(text, found.end)
    if m is not None:
        end = min(end, m.start())
    return text[found.end : end]


def bound_in(text: str, found: Found) -> tuple[str, str]:
    """(bound, the words that say so) for one number in a text: the bound word nearest before it wins."""
    before = clause_before(text, found).lower()
    best: tuple[int, str, str] | None = None
    for bound, patterns in BOUND_WORDS.items():
        for pattern in patterns:
            for m in re.finditer(pattern, before):
                if best is None or m.end() > best[0]:
                    best = (m.end(), bound, m.group(0).strip())
    if best is not None:
        return best[1], best[2]
    after = clause_after(text, found).lower()
    for pattern in LOWER_AFTER:
        m = re.search(pattern, after)
        if m:
            return "lower_bound", m.group(1)
    for pattern in EXACT_AFTER:
        m = re.search(pattern, after)
        if m:
            return "exact", m.group(0).strip()
    return "exact", ""


def says_own_data(text: str) -> str:
    """The phrase by which a quote says the figure is its side's own data, or ''."""
    for pattern in OWN_DATA:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return m.group(0)
    return ""
