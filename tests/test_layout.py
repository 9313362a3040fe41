"""The layout CONTRIBUTING.md promises: packages re-export each public name from one home module."""

from __future__ import annotations

import importlib
import inspect

import pytest

import dilemma.repeated.strategies as strategies
from dilemma.repeated.strategies import STRATEGIES, Strategy

FAMILIES = ["base", "unconditional", "reciprocal", "responders", "finance", "registry"]


def _owners(package: str, modules: list[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for m in modules:
        module = importlib.import_module(f"{package}.{m}")
        for name in module.__all__:
            assert name not in owners, f"{name} exported by both {owners[name]} and {m}"
            owners[name] = m
    return owners


def test_strategies_package_reexports_every_family_module():
    owners = _owners("dilemma.repeated.strategies", FAMILIES)
    assert sorted(owners) == sorted(strategies.__all__)
    for name, m in owners.items():
        assert getattr(strategies, name) is getattr(importlib.import_module(f"dilemma.repeated.strategies.{m}"), name)


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_registered_strategy_is_a_documented_class_in_a_family_module(name):
    cls = STRATEGIES[name]
    assert issubclass(cls, Strategy) and cls.name == name
    family = cls.__module__.rsplit(".", 1)[-1]
    assert family in {"unconditional", "reciprocal", "responders", "finance"}
    assert cls.__name__ in strategies.__all__
    doc = inspect.getdoc(cls)
    assert "Names:" in doc and "Examples" in doc, f"{cls.__name__}: say where it comes from and show it play"
    assert cls.label and cls.description


def test_charts_keep_no_evolution_logic():
    import dilemma.charts.repeated as rc

    for moved in ("replicator_inputs", "replicator_horizon", "stability_of", "selection_w"):
        assert not hasattr(rc, moved) or getattr(rc, moved).__module__.startswith("dilemma.evolution")
        assert moved not in rc.__all__
