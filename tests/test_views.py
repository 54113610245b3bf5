"""Deep links: only known views, and nothing refused is ever echoed."""

from kztrade.views import Route, known_ids, route


def test_known_views_and_charts_route():
    assert route({}) == Route("overview")
    assert route({"view": ["data"]}) == Route("data")
    assert route({"view": ["turnover_series"]}) == Route("turnover", "turnover_series")
    assert route({"view": ["brics_timeline"], "embed": ["true"]}) == Route("brics", "brics_timeline")
    assert set(known_ids()) >= {"overview", "turnover", "containers", "brics", "interview", "data", "containers_index"}


def test_refused_values_fall_back_to_the_overview_without_echo():
    payload = "<script>alert(1)</script>"
    cases = {
        "unknown": {"view": ["nowhere"]},
        "repeated": {"view": ["data", "brics"]},
        "oversized": {"view": ["x" * 8192]},
        "script": {"view": [payload]},
    }
    for name, params in cases.items():
        r = route(params)
        assert (r.view, r.chart) == ("overview", None), name
        assert r.notice and r.notice.endswith("the address bar then holds a link you can share."), name
        assert params["view"][0] not in r.notice and "script" not in r.notice, name


def test_unknown_keys_are_ignored_with_a_notice():
    r = route({"view": ["data"], "utm_source": ["x"]})
    assert r.view == "data" and r.notice.startswith("The link carried parameters this dashboard does not use")
    assert "utm_source" not in r.notice
