"""Share of the public objects of ``dilemma`` whose docstring has an Examples section.

A public object is a function or class defined in a public module (no leading
underscore in its dotted path; the lab's Streamlit scripts ``dilemma.lab.pages``
and ``dilemma.lab.app`` are skipped), listed in the module's ``__all__`` (or not
starting with ``_`` when the module has none) and defined there (re-exports are
counted once, at home), plus the public methods and properties of those
classes. An object has Examples when its docstring holds a numpydoc
``Examples`` heading; the second figure counts docstrings with a ``>>>``
doctest anywhere (with or without the heading).

Run ``python scripts/doc_coverage.py`` (``--missing`` lists the objects without).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys

SKIP = ("dilemma.lab.pages", "dilemma.lab.app")
EXAMPLES = re.compile(r"^\s*Examples\n\s*-{3,}\s*$", re.M)


def public_modules(package: str = "dilemma") -> list[str]:
    """Dotted names of the public modules of ``package`` (itself included)."""
    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or info.name.startswith(SKIP):
            continue
        names.append(info.name)
    return sorted(names)


def public_objects(modname: str):
    """``(qualified name, object)`` of the functions, classes and class members defined in ``modname``."""
    mod = importlib.import_module(modname)
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in vars(mod) if not n.startswith("_")]
    for name in names:
        obj = inspect.getattr_static(mod, name, None)
        if obj is None or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != modname:
            continue  # a re-export or an import: counted at home
        yield f"{modname}.{name}", obj
        if inspect.isclass(obj):
            for mname, member in vars(obj).items():
                if mname.startswith("_"):
                    continue
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                elif isinstance(member, property):
                    member = member.fget
                if inspect.isfunction(member):
                    yield f"{modname}.{name}.{mname}", member


def has_examples(obj) -> bool:
    return bool(EXAMPLES.search(inspect.cleandoc(obj.__doc__ or "")))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--missing", action="store_true", help="list the objects without Examples")
    ap.add_argument("--under", default="", help="only modules starting with this dotted prefix")
    ap.add_argument("--top", action="store_true", help="module-level functions and classes only (no methods)")
    args = ap.parse_args(argv)
    rows = []
    for modname in public_modules():
        if modname.startswith(args.under):
            rows += [(q, has_examples(o), ">>>" in (o.__doc__ or "")) for q, o in public_objects(modname)
                     if not (args.top and q.count(".") > modname.count(".") + 1)]
    with_ex = sum(ok for _, ok, _ in rows)
    with_doctest = sum(dt for _, _, dt in rows)
    total = max(len(rows), 1)
    print(f"{with_ex} of {len(rows)} public objects have Examples ({100 * with_ex / total:.0f} %); "
          f"{with_doctest} have a doctest anywhere in the docstring ({100 * with_doctest / total:.0f} %)")
    if args.missing:
        print("\n".join(q for q, ok, _ in rows if not ok))
    return 0


if __name__ == "__main__":
    sys.exit(main())
