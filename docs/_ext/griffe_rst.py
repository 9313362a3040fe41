"""Griffe extension: read the package's reStructuredText docstrings as Markdown.

The docstrings of ``dilemma`` are numpydoc, written in reStructuredText like
NumPy's and SciPy's: they are read in ``help()``, run as doctests and cite
``docs/bibliography.md``. mkdocstrings renders Markdown, so this extension
translates, at build time and without touching the source:

* ``:func:`x```, ``:class:``, ``:meth:``, ``:attr:``, ``:data:``, ``:mod:``,
  ``:exc:`` and ``:obj:`` roles into cross-references to the page that documents
  the target (resolved like Sphinx: absolute, then from the object's scope
  outwards, then through the module's imports, then as the one object of the
  package with that name); a ``~`` shows the last name only. A target outside
  the package, or one without a rendered entry, is set as code;
* ``:math:`x``` and ``.. math::`` into MathJax (``pymdownx.arithmatex``);
* ``text::`` literal blocks and bare ``>>>`` doctest blocks (outside an
  ``Examples`` section, which mkdocstrings already sets as code) into fenced code;
* simple RST tables (``====  ====``) into Markdown tables;
* citations ``[Axelrod1984]_`` into links to the bibliography;
* Sphinx's ``#:`` comments above a constant into its docstring.

It also documents each object once, in the module that defines it: aliases
that point back into the package (re-exports such as ``dilemma.Game``, which is
``dilemma.game.Game``) are marked private, so the re-exporting module's page
leaves them out.
"""

from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?P<role>func|class|meth|attr|data|mod|exc|obj|const):`(?P<target>[^`]+)`")
MATH_ROLE = re.compile(r":math:`(?P<tex>[^`]+)`")
CITATION = re.compile(r"\[(?P<key>[A-Z][A-Za-z]+\d{4}[a-z]?)\]_")
HEADING_RULE = re.compile(r"^\s*-{3,}\s*$")
TABLE_RULE = re.compile(r"^\s*=+( +=+)+\s*$")
BIBLIOGRAPHY = "bibliography.md"
TYPED_SECTIONS = {"Parameters", "Other Parameters", "Returns", "Yields", "Receives", "Raises", "Warns",
                  "Attributes"}
# modules without a reference page: the lab's Streamlit scripts
UNDOCUMENTED = ("dilemma.lab.entry", "dilemma.lab.pages", "dilemma.lab.app")


def _documented(obj) -> bool:
    """True when mkdocstrings renders ``obj`` (public path, has a docstring), so a link to it resolves."""
    if any(part.startswith("_") for part in obj.path.split(".")):
        return False
    if obj.path.startswith(UNDOCUMENTED):
        return False
    if obj.is_module:
        return True
    return bool(obj.docstring and obj.docstring.value.strip())


class RstToMarkdown(griffe.Extension):
    """Translate the RST constructs of every docstring in the package, then hide re-exports."""

    def on_package_loaded(self, *, pkg: griffe.Module, **kwargs) -> None:
        """The same for griffe 1.x, whose event had this name."""
        self.on_package(pkg=pkg)

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        if pkg.extra.get("griffe_rst", {}).get("done"):
            return
        pkg.extra["griffe_rst"] = {"done": True}
        self._root = pkg
        self._comment_docstrings(pkg)
        # "Name" and "Class.member" -> the documented objects so named, for targets the
        # scope cannot resolve (a name the module imports lazily, or only in a function)
        self._by_name: dict[str, list] = {}
        for obj in self._walk(pkg):
            if obj is not pkg and _documented(obj):
                parts = obj.path.split(".")
                for k in (1, 2):
                    self._by_name.setdefault(".".join(parts[-k:]), []).append(obj)
        for obj in self._walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = self.translate(obj.docstring.value, obj)
        self._drop_reexports(pkg)

    # -- walking -----------------------------------------------------------------------------
    def _comment_docstrings(self, pkg) -> None:
        """Give module and class attributes their Sphinx ``#:`` comment as docstring.

        The package documents its constants the autodoc way, with ``#:`` lines
        above the assignment; griffe reads only a string below it.
        """
        sources: dict = {}
        for obj in self._walk(pkg):
            if not obj.is_attribute or obj.docstring is not None or not obj.lineno:
                continue
            try:
                path = obj.filepath
            except Exception:  # noqa: BLE001 - builtin or namespace: no file
                continue
            if path not in sources:
                try:
                    sources[path] = path.read_text(encoding="utf-8").splitlines()
                except (OSError, AttributeError):
                    sources[path] = []
            lines = sources[path]
            i = obj.lineno - 2
            comment: list[str] = []
            while 0 <= i < len(lines) and lines[i].strip().startswith("#:"):
                comment.insert(0, lines[i].strip()[2:].strip())
                i -= 1
            if comment:
                obj.docstring = griffe.Docstring("\n".join(comment), parent=obj)

    def _walk(self, obj):
        yield obj
        for member in list(obj.members.values()):
            if member.is_alias:
                continue
            if member.is_module or member.is_class or member.is_function or member.is_attribute:
                yield from self._walk(member)

    def _drop_reexports(self, module) -> None:
        # not deleted (base classes and cross-references still resolve through them), only
        # marked private, which keeps them off the page (mkdocstrings renders an imported
        # name only when it is public)
        for member in list(module.members.values()):
            if member.is_alias:
                if member.target_path.split(".")[0] == self._root.name:
                    member.public = False
            elif member.is_module:
                self._drop_reexports(member)

    # -- resolution ----------------------------------------------------------------------------
    def _lookup(self, scope, dotted: str):
        try:
            found = scope[dotted]
        except Exception:  # noqa: BLE001 - KeyError, AliasResolutionError, CyclicAliasError...
            return None
        try:
            return found.final_target if found.is_alias else found
        except Exception:  # noqa: BLE001 - an alias to something outside the loaded package
            return None

    def resolve(self, target: str, obj):
        """The griffe object that ``target`` names from the docstring of ``obj``, or None."""
        target = target.lstrip(".")
        root = self._root
        if target == root.name:
            return root
        if target.startswith(root.name + "."):
            found = self._lookup(root, target[len(root.name) + 1:])
            if found is not None:
                return found
        scope = obj
        while scope is not None:
            found = self._lookup(scope, target)
            if found is not None:
                return found
            scope = scope.parent
        short = target.split(".")
        for key in (".".join(short[-2:]), short[-1]) if len(short) > 1 else (target,):
            found = self._by_name.get(key, [])
            if len(found) == 1 and (len(short) == 1 or found[0].path.endswith("." + ".".join(short[-2:]))
                                    or target.startswith(self._root.name + ".")):
                return found[0]
        return None

    def role(self, match: re.Match, obj) -> str:
        target = match.group("target").strip()
        title = None
        m = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^>]+)>", target)
        if m:
            title, target = m.group("title"), m.group("target")
        short = target.startswith("~")
        target = target.lstrip("~")
        if title is None:
            title = target.rsplit(".", 1)[-1] if short else target.lstrip(".")
        if match.group("role") in ("func", "meth") and not title.endswith(")"):
            title += "()"
        found = self.resolve(target, obj)
        if found is not None and _documented(found):
            return f"[`{title}`][{found.path}]"
        return f"`{title}`"

    # -- translation ---------------------------------------------------------------------------
    def translate(self, text: str, obj) -> str:
        lines = self._blocks(text.splitlines())
        text = "\n".join(lines)
        text = MATH_ROLE.sub(lambda m: "\\(" + m.group("tex") + "\\)", text)
        text = ROLE.sub(lambda m: self.role(m, obj), text)
        # every docstring is rendered on docs/reference/api/<module>.md
        text = CITATION.sub(lambda m: f"[[{m.group('key')}]](../../{BIBLIOGRAPHY}#{m.group('key')})", text)
        return text

    def _blocks(self, lines: list[str]) -> list[str]:
        """Math directives, literal blocks, bare doctests and tables, outside Examples sections."""
        out: list[str] = []
        section = ""
        i = 0
        n = len(lines)
        while i < n:
            line = lines[i]
            stripped = line.strip()
            indent = line[: len(line) - len(line.lstrip())]
            if i + 1 < n and stripped and HEADING_RULE.match(lines[i + 1]) and not HEADING_RULE.match(line):
                section = stripped
                out += [line, lines[i + 1]]
                i += 2
                continue
            if section == "Examples":
                out.append(line)
                i += 1
                continue
            # "name : type" lines of the item sections: the type is set as code already,
            # so RST's ``double backticks`` in it would show literally
            if section in TYPED_SECTIONS and line and not line[0].isspace():
                out.append(line.replace("``", ""))
                i += 1
                continue
            # .. math:: expr   or   .. math::\n\n   indented block
            m = re.match(r"^(\s*)\.\. math::\s*(.*)$", line)
            if m:
                body = [m.group(2)] if m.group(2) else []
                j, block = self._indented(lines, i + 1, len(m.group(1)))
                body += block
                out += ["", indent + "$$", *[indent + b for b in body if b.strip()], indent + "$$", ""]
                i = j
                continue
            # literal block: a paragraph ending in '::' then an indented block
            if stripped.endswith("::") and not stripped.startswith(".."):
                j, block = self._indented(lines, i + 1, len(indent))
                if block:
                    head = line.rstrip()[:-2].rstrip()
                    if head.strip():
                        out.append(head + ":")
                    out += ["", indent + "```text", *[indent + b for b in block], indent + "```", ""]
                    i = j
                    continue
            # bare doctest block
            if stripped.startswith(">>>"):
                j = i
                while j < n and lines[j].strip():
                    j += 1
                out += ["", indent + "```pycon", *lines[i:j], indent + "```", ""]
                i = j
                continue
            # simple table: rule, header, rule, rows..., rule
            if TABLE_RULE.match(line) and i + 2 < n and TABLE_RULE.match(lines[i + 2]):
                j = i + 3
                while j < n and not TABLE_RULE.match(lines[j]):
                    j += 1
                if j < n:
                    cols = [(c.start(), c.end()) for c in re.finditer(r"=+", line)]

                    def cells(row: str) -> list[str]:
                        parts = []
                        for k, (a, _) in enumerate(cols):
                            b = cols[k + 1][0] if k + 1 < len(cols) else len(row)
                            parts.append(row[a:b].strip().replace("|", r"\|"))
                        return parts

                    out += ["", indent + "| " + " | ".join(cells(lines[i + 1])) + " |",
                            indent + "|" + "---|" * len(cols)]
                    rows: list[list[str]] = []
                    for r in lines[i + 3:j]:
                        if not r.strip():
                            continue
                        row = cells(r)
                        if rows and not row[0]:  # RST: a blank first column continues the row above
                            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row)]
                        else:
                            rows.append(row)
                    out += [indent + "| " + " | ".join(r) + " |" for r in rows]
                    out.append("")
                    i = j + 1
                    continue
            out.append(line)
            i += 1
        return out

    @staticmethod
    def _indented(lines: list[str], start: int, base: int) -> tuple[int, list[str]]:
        """``(end, dedented block)`` of the lines after ``start`` indented deeper than ``base``."""
        j = start
        while j < len(lines) and not lines[j].strip():
            j += 1
        block_start = j
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > base):
            j += 1
        while j > block_start and not lines[j - 1].strip():
            j -= 1
        block = lines[block_start:j]
        if not block:
            return start, []
        cut = min(len(b) - len(b.lstrip()) for b in block if b.strip())
        return j, [b[cut:] for b in block]
