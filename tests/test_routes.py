"""Deep links: only known views and languages, and nothing refused is ever echoed."""

from kztrade.routes import NOTICE_KEYS, NOTICE_LANG, NOTICE_TAIL, Route, known_ids, route


def test_known_views_charts_and_languages_route():
    assert route({}) == Route("overview")
    assert route({"view": ["data"]}) == Route("data")
    assert route({"view": ["turnover_series"], "lang": ["ru"]}) == Route("turnover", "turnover_series", "ru")
    assert route({"view": ["brics_timeline"], "embed": ["true"]}) == Route("brics", "brics_timeline")
    assert set(known_ids()) >= {"overview", "turnover", "containers", "brics", "interview", "data", "containers_index"}


def test_refused_values_fall_back_without_echo():
    payload = "<script>alert(1)</script>"
    cases = {
        "unknown": {"view": ["nowhere"]},
        "repeated": {"view": ["data", "brics"]},
        "oversized": {"view": ["x" * 8192]},
        "script": {"view": [payload]},
    }
    for name, params in cases.items():
        r = route(params)
        assert (r.view, r.chart, r.lang) == ("overview", None, None), name
        assert r.notices[-1] == NOTICE_TAIL, name
        assert params["view"][0] not in " ".join(r.notices) and "script" not in " ".join(r.notices), name


def test_an_unknown_language_gives_english_and_a_notice_without_echo():
    for value in (["de"], ["ru", "en"], ["r" * 500], ["<b>ru</b>"]):
        r = route({"view": ["data"], "lang": value})
        assert (r.view, r.lang, r.notices) == ("data", "en", (NOTICE_LANG,)), value


def test_unknown_keys_are_ignored_with_a_notice():
    r = route({"view": ["data"], "utm_source": ["x"]})
    assert r.view == "data" and r.notices == (NOTICE_KEYS, NOTICE_TAIL)
    assert "utm_source" not in " ".join(r.notices)
