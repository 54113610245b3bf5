"""Hosting files: hardened Streamlit settings, runtime-only requirements, the browser for Cloud."""

import re
import tomllib

from .conftest import ROOT


def test_streamlit_security_settings():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = cfg["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    assert server["maxUploadSize"] <= 1
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["browser"]["gatherUsageStats"] is False
    # A deployment does not rescan ~2,000 loaded modules after every run; `make run` turns the watcher on for
    # developers.
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False
    assert "--server.fileWatcherType auto" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_requirements_are_runtime_only_and_pinned():
    lines = [ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    names = {re.split(r"[~=<>]", ln)[0] for ln in lines}
    assert names == {"streamlit", "plotly", "kaleido", "frictionless", "psutil", "babel", "regex"}
    assert all("~=" in line for line in lines)
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in dev and "playwright" in dev and "pytest" in dev
    assert not (ROOT / "pyproject.toml").exists() and not (ROOT / "Pipfile").exists()


def test_cloud_gets_chromium_and_a_python_version():
    assert "chromium" in (ROOT / "packages.txt").read_text().split()
    assert (ROOT / ".python-version").read_text().strip() == "3.11"


def test_code_never_renders_raw_html_or_uses_deprecated_width():
    for path in [*ROOT.glob("kztrade/**/*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path
        assert "use_container" + "_width" not in text, path  # split so the repo-wide grep finds no false hit


def test_data_layer_imports_no_streamlit_or_plotly():
    for name in (
        "load.py",
        "check.py",
        "guard.py",
        "model.py",
        "quotes.py",
        "statements.py",
        "verdicts.py",
        "claimreview.py",
        "routes.py",
        "i18n.py",
        "table.py",
    ):
        text = (ROOT / "kztrade" / name).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(streamlit|plotly|pandas)", text, re.M), name
    for path in ROOT.glob("kztrade/*.py"):  # the ui package (kztrade/ui/) is the only one allowed
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(encoding="utf-8"), re.M), path


def test_the_only_html_the_page_renders_is_the_stylesheet_and_the_navigation():
    """st.html gets a constant <style> block and the navigation (the language switch and the views), which is built
    from allowlisted values only."""
    calls = []
    for path in ROOT.glob("kztrade/ui/*.py"):
        calls += re.findall(r"st\.html\(\s*([\w.]+)", path.read_text(encoding="utf-8"))
    assert sorted(calls) == ["language_nav", "self.sheet"]  # st.html(...), with the stylesheet or the navigation
    header = (ROOT / "kztrade" / "ui" / "__init__.py").read_text(encoding="utf-8")
    # the stylesheet's one source: the two constants
    assert re.findall(r"Stylesheet\(([^\n]*)\)\n", header) == ["STYLE + EMBED_STYLE if embedded else STYLE"]
    assert header.count("Stylesheet(") == 1 and header.count("self.sheet") == 2
    (nav_call,) = re.findall(r"st\.html\(\s*language_nav\([^\n]*\n\s*\+ view_nav\([^\n]*\n\s*\)", header)
    assert nav_call.count("(") == nav_call.count(")")  # the two navs and nothing else
    from kztrade.ui import EMBED_STYLE

    assert EMBED_STYLE.startswith("<style>") and EMBED_STYLE.endswith("</style>") and "<script" not in EMBED_STYLE
    from kztrade.i18n import LANGS
    from kztrade.routes import known_ids, language_nav

    link = (
        r'<a href="\?view=[a-z_]+&amp;lang=[a-z]{2}" hreflang="[a-z]{2}" lang="[a-z]{2}"( aria-current="true" '
        r'class="kz-current")?>[^<>&"]+</a>'
    )
    for view in known_ids():
        for lang in LANGS:
            nav = language_nav(view, lang, "Language")
            assert re.fullmatch(rf'<nav class="kz-lang" aria-label="Language">({link}){{{len(LANGS)}}}</nav>', nav), nav
            assert nav.count('aria-current="true"') == 1 and f'lang="{lang}" aria-current' in nav
    assert "&lt;script&gt;" in language_nav("overview", "en", "<script>")  # our own label, escaped all the same
    import pytest

    with pytest.raises(ValueError):
        language_nav('x"><script>', "en", "Language")
    from kztrade.routes import VIEWS, view_nav

    names = {v: f"{v} <b>&" for v in VIEWS}
    link = r'<a href="\?view=[a-z_]+&amp;lang=[a-z]{2}"( aria-current="page" class="kz-current")?>'
    link += r"[a-z_]+ &lt;b&gt;&amp;</a>"  # each name escaped
    for view in VIEWS:
        for lang in LANGS:
            nav = view_nav(view, lang, names, "Views")
            assert re.fullmatch(rf'<nav class="kz-views" aria-label="Views">({link}){{{len(VIEWS)}}}</nav>', nav), nav
            assert nav.count('aria-current="page"') == 1
            assert f'?view={view}&amp;lang={lang}" aria-current="page"' in nav
    for bad in (("turnover_ytd", "en", names), ("claims", "xx", names), ("claims", "en", {"claims": "Claims"})):
        with pytest.raises(ValueError):
            view_nav(*bad, "Views")  # a chart id is no view; an unknown language; a view without its name
    from kztrade.ui import STYLE

    assert STYLE.startswith("<style>") and STYLE.endswith("</style>") and "{" in STYLE and "<script" not in STYLE


def test_the_private_internals_we_use_are_still_there_in_the_pinned_versions():
    """Five private attributes, each pinned by requirements.txt and named here, so an upgrade that drops one fails this
    test every time instead of an export message going missing now and then: Streamlit's AppSession._event_loop and
    _browser_queue (whose ForwardMsgQueue._queue we read, ui/state.py), Kaleido's Kaleido._return_kaleido_tab
    (overridden to reuse a tab, export.py), plotly's `_validate` keyword (charts.unvalidated) and Streamlit's
    delta_generator._use_warning_has_been_displayed (ui.skip_direct_run_check) and MediaFileManager's sweep
    (ui.keep_made_downloads)."""
    import inspect

    import kaleido
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    init = inspect.getsource(AppSession.__init__)
    assert "self._event_loop" in init and "self._browser_queue" in init
    assert isinstance(vars(ForwardMsgQueue())["_queue"], list)
    assert callable(getattr(kaleido.Kaleido, "_return_kaleido_tab", None))
    assert "tabs_ready" in inspect.getsource(kaleido.Kaleido)
    # plotly's `_validate` switch, which charts.unvalidated passes: gone, every chart would fail to build
    from plotly.basedatatypes import BaseFigure

    assert 'kwargs.pop("_validate", True)' in inspect.getsource(BaseFigure.__init__)
    # Streamlit's direct-run check, which ui.skip_direct_run_check marks as done under `streamlit run`: the flag it
    # reads, and that it returns at once when the flag is set
    from streamlit import delta_generator

    warn = inspect.getsource(delta_generator._maybe_print_use_warning)
    assert isinstance(delta_generator._use_warning_has_been_displayed, bool)
    assert "if not _use_warning_has_been_displayed:" in warn and "env_util.is_repl()" in warn
    # Streamlit's sweep of unreferenced files, which ui.keep_made_downloads slows for downloads: it reads the mark
    from streamlit.runtime import media_file_manager as mfm

    sweep = inspect.getsource(mfm.MediaFileManager.remove_orphaned_files)
    assert "file.is_marked_for_delete" in sweep and "file.mark_for_delete()" in sweep
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "streamlit~=" in pins and "kaleido~=" in pins and "plotly~=" in pins  # the versions these were read in


def test_the_direct_run_check_is_skipped_only_under_streamlit_run(monkeypatch):
    """Under `streamlit run` Streamlit's check for a script started with plain `python` (a walk of the whole call
    stack on the first element, 50-100 ms of a fresh server's first visit) is marked done; without a runtime it is
    left to run, so `python app.py` still prints its advice. With the flag set, Streamlit never calls is_repl()."""
    from streamlit import delta_generator, env_util, runtime

    from kztrade.ui import skip_direct_run_check

    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    skip_direct_run_check()
    assert delta_generator._use_warning_has_been_displayed is False
    monkeypatch.setattr(runtime, "exists", lambda: True)
    skip_direct_run_check()
    assert delta_generator._use_warning_has_been_displayed is True
    walked = []
    monkeypatch.setattr(env_util, "is_repl", lambda: walked.append(1) or False)
    delta_generator._maybe_print_use_warning()
    assert walked == []


def test_a_png_made_on_a_click_outlives_the_sweeps_of_other_visits(monkeypatch):
    """Streamlit deletes a file no session references at its second sweep, and every visit's script run ends with a
    sweep: a PNG made on a click was deleted before the browser fetched it when two runs ended in between (a cancelled
    download, measured with 8 visitors at once). With ui.keep_made_downloads it survives any number of sweeps for the
    grace period, and is deleted at the first sweep after it; a file made again is kept afresh."""
    from streamlit.runtime import media_file_manager as mfm
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from kztrade import ui

    now = [1000.0]
    monkeypatch.setattr(mfm.MediaFileMetadata, "mark_for_delete", mfm.MediaFileMetadata.mark_for_delete)
    monkeypatch.setattr(mfm.MediaFileMetadata, "is_marked_for_delete", mfm.MediaFileMetadata.is_marked_for_delete)
    ui.keep_made_downloads(grace_s=60, clock=lambda: now[0])
    monkeypatch.setattr(mfm, "_get_session_id", lambda: "visitor-1")
    manager = mfm.MediaFileManager(MemoryMediaFileStorage("/media"))
    made = manager.add_deferred(lambda: b"\x89PNG one chart", "image/png", "1.2.3", file_name="chart.png")

    def fetch(url: str):
        return manager.read_file(url.rsplit("/", 1)[-1].split(".")[0])

    url = manager.execute_deferred(made)
    manager.clear_session_refs("visitor-1")  # the visitor's run ends, as other visitors' runs do
    for _sweep in range(5):
        manager.remove_orphaned_files()
    assert fetch(url).content == b"\x89PNG one chart"
    now[0] += 59
    manager.remove_orphaned_files()
    assert fetch(url) is not None
    now[0] += 1
    manager.remove_orphaned_files()
    assert fetch(url) is None  # gone once the grace period is over: no PNG is kept for ever


def test_charts_and_cards_lay_text_out_and_word_none_of_it():
    """Every sentence a chart or a card shows is worded in statements.py (Words); charts.py and cards.py call no
    gettext function and mark no message, so changing a sentence's wording touches statements.py and the catalogue."""
    import ast

    wording = {"_", "n_", "N_", "gettext", "ngettext"}
    for name in ("charts.py", "cards.py"):
        tree = ast.parse((ROOT / "kztrade" / name).read_text(encoding="utf-8"))
        calls = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id in wording)
                or (isinstance(node.func, ast.Attribute) and node.func.attr in wording)
            )
        ]
        assert calls == [], (name, calls)
    statements = (ROOT / "kztrade" / "statements.py").read_text(encoding="utf-8")
    assert "def ytd_text" in statements and "def card_status" in statements  # where they went
