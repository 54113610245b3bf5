"""Reading numbers and bound words in a source's sentence, in the formats and languages our sources print."""

import pytest

from kztrade.quotes import bound_in, find_value, numbers_in, parse_number, says_own_data


@pytest.mark.parametrize(
    "text, value",
    [
        ("to reach a $28.2-billion record", 28.2),
        ("составил 28,2 млрд долларов", 28.2),
        ("превысил 1,5 трлн рублей", 1.5),
        ("stood at $14bn in the first seven months", 14.0),
        ("amounted to $17 billion, which", 17.0),
        ("1,500 containers", 1500.0),
        ("вырос на 69% до 454 тыс. TEU", 454.0),
    ],
)
def test_numbers_as_the_sources_print_them(text, value):
    assert find_value(text, value) is not None
    assert value in [n.value for n in numbers_in(text)]


def test_a_number_is_never_read_out_of_a_longer_one():
    assert find_value("in 2024 the total was 128 billion", 28) is None
    assert find_value("17.25 billion", 17.2) is None
    assert parse_number("28,2") == 28.2 and parse_number("1,500") == 1500.0


@pytest.mark.parametrize(
    "text, value, bound, words",
    [
        ("Trade exceeded 1.5 trillion rubles ($15.6 bln) in January-July", 1.5, "lower_bound", "exceeded"),
        ("exceeding the threshold of $28 billion", 28, "lower_bound", "exceeding"),
        ("over $20 billion", 20, "lower_bound", "over"),
        ("more than $20 billion", 20, "lower_bound", "more than"),
        ("товарооборот составил свыше 20 млрд", 20, "lower_bound", "свыше"),
        ("более 28 миллиардов", 28, "lower_bound", "более"),
        ("товарооборот превысил 17 млрд", 17, "lower_bound", "превысил"),
        ("reached nearly $28.5 billion", 28.5, "approximate", "nearly"),
        ("reaching almost 716 billion rubles", 716, "approximate", "almost"),
        ("около 28 млрд долларов", 28, "approximate", "около"),
        ("достиг почти $30 миллиардов", 30, "approximate", "почти"),
        ("hitting the $28 billion mark", 28, "exact", "billion mark"),
        ("mutual trade amounted to $17 billion", 17, "exact", ""),
    ],
)
def test_bound_words(text, value, bound, words):
    assert bound_in(text, find_value(text, value)) == (bound, words)


def test_a_bound_word_qualifies_only_its_own_clause():
    text = (
        "Last year, volume of bilateral trade reached a new peak hitting the $28 billion mark, and already exceeded "
        "$20 billion between January and September 2024."
    )
    assert bound_in(text, find_value(text, 28))[0] == "exact"
    assert bound_in(text, find_value(text, 20))[0] == "lower_bound"
    # "Более половины" (more than half) belongs to its own clause, not to the 28 after the comma.
    ru = (
        "Более половины этого объема приходится на двустороннюю торговлю Казахстана и России, в прошлом году она "
        "достигла 28 млрд долларов"
    )
    assert bound_in(ru, find_value(ru, 28))[0] == "exact"
    # A bound on the growth rate is not a bound on the total that follows it.
    vesti = "вырос более чем на 10% по сравнению с аналогичным периодом 2021 года и составил 22,2 млрд долларов"
    assert bound_in(vesti, find_value(vesti, 10))[0] == "lower_bound"
    assert bound_in(vesti, find_value(vesti, 22.2))[0] == "exact"


def test_own_data_needs_the_words():
    assert says_own_data("According to our data, the mutual trade has reached $26.1 billion") == "According to our data"
    assert says_own_data("По нашим данным, товарооборот составил") == "По нашим данным"
    assert says_own_data("Based on the results of 8 months of this year") == ""


@pytest.mark.parametrize(
    "text, lang, value",
    [
        ("Der Umsatz lag bei 1.500 Containern", "de", 1500.0),  # a German point groups thousands
        ("Der Umsatz stieg um 28,2 Prozent", "de", 28.2),
        (
            "перевезено 1\u00a0500 контейнеров",
            "ru",
            1500.0,
        ),  # a Russian no-break space groups thousands: one number, not two
        ("перевезено 1\u202f500 контейнеров", "ru", 1500.0),  # the narrow no-break space CLDR now prints
        ("составил 24,2 млрд", "ru", 24.2),
        ("1,500 containers", "en", 1500.0),
        ("a $28.2-billion record", "en", 28.2),
    ],
)
def test_a_quote_number_is_read_in_the_quotes_own_locale(text, lang, value):
    assert [n.value for n in numbers_in(text, lang)] == [value]
    assert find_value(text, value, lang) is not None


def test_the_same_digits_read_differently_by_locale():
    assert parse_number("1.500", "de") == 1500.0 and parse_number("1.500", "en") == 1.5
    assert parse_number("1,500", "en") == 1500.0 and parse_number("1,500", "ru") == 1.5
    assert find_value("перевезено 1\u00a0500 контейнеров", 500, "ru") is None  # never read as "1" and "500"
