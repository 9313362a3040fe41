"""MkDocs hooks for the dilemma site (listed under ``hooks:`` in mkdocs.yml).

* ``tests/test_docs.py`` runs every code block of the docs and skips those
  whose info string says ``no-test`` (```` ```text no-test ````). Markdown
  reads only a language there, so the ``no-test`` flag is dropped before
  rendering.
* A link to a file of the repository outside docs/ becomes the file's path.
* The nav's "API by module" section lists every page of docs/reference/api/.
"""

from __future__ import annotations

import re

NO_TEST = re.compile(r"^(?P<fence>[ \t]*`{3,}[ \t]*[\w+-]*)[ \t]+no-test[ \t]*$", re.M)


LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")


def _repo_links(markdown: str, page, config) -> str:
    """Links to files of the repository outside docs/ (a config file, say) as the path in code.

    They work on GitHub; the site has no copy of those files. A link to a file
    that does not exist is left alone, so the strict build still reports it.
    """
    from pathlib import Path

    docs = Path(config["docs_dir"]).resolve()
    root = Path(config["config_file_path"]).resolve().parent
    here = (docs / page.file.src_path).parent

    def replace(m: re.Match) -> str:
        target = m.group("target")
        if "://" in target or target.startswith(("/", "mailto:")):
            return m.group(0)
        path = (here / target).resolve()
        if path.is_relative_to(docs) or not path.is_relative_to(root) or not path.exists():
            return m.group(0)
        rel = path.relative_to(root).as_posix()
        text = m.group("text")
        return text if rel in text else f"{text} (`{rel}` in the repository)"

    return LINK.sub(replace, markdown)


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:
    return _repo_links(NO_TEST.sub(r"\g<fence>", markdown), page, config)


API_SECTION = "API by module"


def on_config(config, **kwargs):
    """Fill the nav's "API by module" section with every page of docs/reference/api/, sorted.

    One page per public module (``tests/test_reference.py`` checks that none is
    missing); the nav follows the pages, so a new module needs its page only.
    """
    from pathlib import Path

    pages = sorted(Path(config["docs_dir"], "reference", "api").glob("*.md"), key=lambda p: p.stem.split("."))
    # titled by the module's dotted name; a subpackage's modules in a section of their own
    entries: list = []
    groups: dict[str, list] = {}
    for p in pages:
        parts = p.stem.split(".")
        entry = {p.stem: f"reference/api/{p.name}"}
        if len(parts) <= 1:
            entries.append(entry)
            continue
        head = ".".join(parts[:2])
        if head not in groups:
            groups[head] = []
            entries.append({head: groups[head]})
        groups[head].append(entry)
    entries = [next(iter(e.values()))[0] if isinstance(next(iter(e.values())), list)
               and len(next(iter(e.values()))) == 1 else e for e in entries]

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
