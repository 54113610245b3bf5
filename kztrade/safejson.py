"""JSON that is safe inside HTML: every JSON we publish may be pasted into a `<script type="application/ld+json">`.
No Streamlit, no plotly."""

from __future__ import annotations

import json

# Characters that end a script element, open an HTML comment or an entity, or end a line in older JavaScript; each is
# written as its JSON escape, which parses to the same character.
HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_safe_json(obj: object, indent: int | None = 2) -> str:
    """obj as JSON (UTF-8 text, keys in the order built) in which no `</script>`, `<!--` or `&` can appear: still valid
    JSON that parses to the same values. The page, the export's files and the static edition all use this."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return text.translate(str.maketrans(HTML_UNSAFE))
