"""MkDocs hooks for the dilemma site (listed under ``hooks:`` in mkdocs.yml).

``tests/test_docs.py`` runs every code block of the docs and skips those whose
info string says ``no-test`` (```` ```text no-test ````). Markdown reads only a
language there, so this hook drops the ``no-test`` flag before rendering.
"""

from __future__ import annotations

import re

NO_TEST = re.compile(r"^(?P<fence>[ \t]*`{3,}[ \t]*[\w+-]*)[ \t]+no-test[ \t]*$", re.M)


def on_page_markdown(markdown: str, **kwargs) -> str:
    return NO_TEST.sub(r"\g<fence>", markdown)


API_SECTION = "API by module"


def on_config(config, **kwargs):
    """Fill the nav's "API by module" section with every page of docs/reference/api/, sorted.

    One page per public module (``tests/test_reference.py`` checks that none is
    missing); the nav follows the pages, so a new module needs its page only.
    """
    from pathlib import Path

    pages = sorted(Path(config["docs_dir"], "reference", "api").glob("*.md"), key=lambda p: p.stem.split("."))
    entries = [{p.stem: f"reference/api/{p.name}"} for p in pages]  # titled by the module's dotted name

    def fill(items) -> bool:
        for item in items or []:
            if isinstance(item, dict):
                for title, value in item.items():
                    if title == API_SECTION:
                        item[title] = entries
                        return True
                    if isinstance(value, list) and fill(value):
                        return True
        return False

    if not fill(config["nav"]):
        raise ValueError(f"mkdocs.yml: the nav has no {API_SECTION!r} section for the API pages")
    return config
