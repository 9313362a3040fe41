"""Lazy re-exports (PEP 562) shared by the package and its sub-packages."""

from __future__ import annotations

import importlib


def lazy_exports(package: str, exports: dict[str, str], namespace: dict):
    """``(__getattr__, __dir__)`` for a package whose public names load on first use.

    ``exports`` maps each public name to the module that defines it; a loaded
    name is stored in ``namespace`` (the package's ``globals()``) so the module
    is imported once.
    """
    public = sorted(exports)

    def __getattr__(name: str):
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__():
        return namespace.get("__all__", public)

    return __getattr__, __dir__
