"""Parameter grids: ``START:STOP:STEPS`` ranges, validated against a scenario.

A sweep varies one or more model parameters, each named by its dotted path
(``market.punishment``, ``players.Meta.capex``; see :mod:`dilemma.parameters`)
over evenly spaced values. The axes span a full factorial grid; grid point
``k`` is the ``k``-th point of that grid in C order (the last axis changes
fastest), which is also the row order of :func:`dilemma.sweep.sweep`'s table
and the index its Monte Carlo seeds are derived from.

Examples
--------
>>> parse_range("0:0.03:4").tolist()
[0.0, 0.01, 0.02, 0.03]
>>> axes = grid_from_specs(["market.punishment=0:0.02:3", "demand.profit_pool=150:250:2"])
>>> {k: v.tolist() for k, v in axes.items()}
{'market.punishment': [0.0, 0.01, 0.02], 'demand.profit_pool': [150.0, 250.0]}
>>> grid_size(axes)
6
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

import numpy as np

from ..errors import DilemmaError, ParameterError
from ..parameters import FIRM_FIELDS, MARKET_PARAMS, Param

__all__ = [
    "DEFAULT_MAX_POINTS",
    "DEFAULT_MAX_POINTS_SIMULATE",
    "MAX_STEPS",
    "parse_range",
    "parse_spec",
    "grid_from_specs",
    "check_axes",
    "check_grid_size",
    "grid_size",
    "grid_shape",
    "grid_points",
    "param_of_path",
    "GAME_PATHS_UNUSED",
]

#: Largest grid a deterministic sweep runs without ``force=True``.
DEFAULT_MAX_POINTS = 250_000
#: Largest grid a Monte Carlo sweep runs without ``force=True``.
DEFAULT_MAX_POINTS_SIMULATE = 20_000
#: Most values one range may have (checked before the values are made).
MAX_STEPS = 10_000_000

_MARKET = {p.path: p for p in MARKET_PARAMS}
_FIRM = {p.path: p for p in FIRM_FIELDS}

#: Parameters that do not enter the one-shot stage game (they matter only to
#: the multi-year, state-carrying model): sweeping them without a simulation
#: gives the same game at every point.
GAME_PATHS_UNUSED = tuple(p.path for p in MARKET_PARAMS if p.section == "dynamics") + ("cash",)


def parse_range(text: str, name: str = "range") -> np.ndarray:
    """Evenly spaced values from ``"START:STOP:STEPS"`` (both ends included).

    Parameters
    ----------
    text : str
        ``START:STOP:STEPS`` with ``START <= STOP`` and a whole number
        ``STEPS >= 1`` (``STEPS = 1`` needs ``START == STOP``).
    name : str
        Names the range in error messages (the parameter's path).

    Returns
    -------
    numpy.ndarray of float, shape (STEPS,)

    Raises
    ------
    DilemmaError
        If the text is malformed, the range is empty (``STEPS < 1``) or
        reversed (``START > STOP``).

    Examples
    --------
    >>> parse_range("150:250:3").tolist()
    [150.0, 200.0, 250.0]
    >>> parse_range("0.5:0.5:1").tolist()
    [0.5]
    >>> parse_range("3:1:5")
    Traceback (most recent call last):
    ...
    dilemma.errors.DilemmaError: range: START 3 is above STOP 1 (reversed range); write it as 1:3:5
    """
    if not isinstance(text, str):
        raise DilemmaError(f"{name}: expected START:STOP:STEPS as text, got {text!r}")
    parts = [p.strip() for p in text.split(":")]
    if len(parts) != 3 or not all(parts):
        raise DilemmaError(
            f"{name}: malformed range {text!r}; expected START:STOP:STEPS, e.g. 0:0.03:31")
    try:
        start, stop = float(parts[0]), float(parts[1])
    except ValueError:
        raise DilemmaError(
            f"{name}: malformed range {text!r}; START and STOP must be numbers "
            f"(START:STOP:STEPS, e.g. 0:0.03:31)") from None
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise DilemmaError(f"{name}: malformed range {text!r}; START and STOP must be finite numbers")
    try:
        steps_f = float(parts[2])
    except ValueError:
        raise DilemmaError(
            f"{name}: malformed range {text!r}; STEPS must be a whole number >= 1") from None
    if not math.isfinite(steps_f) or not steps_f.is_integer():
        raise DilemmaError(f"{name}: malformed range {text!r}; STEPS must be a whole number >= 1")
    steps = int(steps_f)
    if steps < 1:
        raise DilemmaError(f"{name}: empty range {text!r}; STEPS must be at least 1, got {steps}")
    if steps > MAX_STEPS:
        raise DilemmaError(f"{name}: {steps:,} steps is more than one range may have ({MAX_STEPS:,})")
    if start > stop:
        raise DilemmaError(
            f"{name}: START {start:g} is above STOP {stop:g} (reversed range); "
            f"write it as {parts[1]}:{parts[0]}:{parts[2]}")
    if steps == 1 and start != stop:
        raise DilemmaError(
            f"{name}: one step cannot cover {start:g} to {stop:g}; use STEPS >= 2 "
            f"or START == STOP")
    return np.linspace(start, stop, steps)


def parse_spec(spec: str) -> tuple[str, np.ndarray]:
    """``"NAME=START:STOP:STEPS"`` -> ``(NAME, values)`` (names not yet checked).

    >>> name, values = parse_spec("market.punishment=0:0.01:2")
    >>> name, values.tolist()
    ('market.punishment', [0.0, 0.01])
    """
    if not isinstance(spec, str):
        raise DilemmaError(f"--param: expected NAME=START:STOP:STEPS, got {spec!r}")
    name, sep, rng = spec.partition("=")
    name = name.strip()
    if not sep or not name:
        raise DilemmaError(
            f"--param: expected NAME=START:STOP:STEPS, e.g. market.punishment=0:0.03:31, got {spec!r}")
    return name, parse_range(rng.strip(), name)


def grid_from_specs(specs: Iterable[str], scenario=None) -> dict[str, np.ndarray]:
    """Axes of a sweep from ``NAME=START:STOP:STEPS`` strings, in the given order.

    Parameters
    ----------
    specs : iterable of str
        One spec per swept parameter, e.g. ``"market.punishment=0:0.03:31"``.
    scenario : Scenario, optional
        If given, names and values are checked against it with
        :func:`check_axes`; otherwise names are checked against the
        market-wide parameters and the firm fields only.

    Returns
    -------
    dict of str to numpy.ndarray
        Values per dotted path, in the order of ``specs``.

    Raises
    ------
    DilemmaError
        A malformed, empty or reversed range, a parameter given twice, an
        unknown name (with the nearest valid one) or a value out of range.
    """
    axes: dict[str, np.ndarray] = {}
    for spec in specs:
        name, values = parse_spec(spec)
        if name in axes:
            raise DilemmaError(f"--param {name}: given twice; sweep each parameter once")
        axes[name] = values
    if not axes:
        raise DilemmaError("nothing to sweep: give at least one --param NAME=START:STOP:STEPS")
    return check_axes(axes, scenario)


def param_of_path(path: str, scenario=None) -> Param:
    """The :class:`~dilemma.parameters.Param` a dotted path refers to.

    Raises
    ------
    DilemmaError
        For an unknown path, with the nearest valid one.
    """
    from ..scenario import _suggest

    if path in _MARKET:
        return _MARKET[path]
    parts = path.split(".")
    if scenario is not None:
        valid = scenario.parameter_paths()
        if len(parts) == 3 and parts[0] == "players" and path in valid:
            return _FIRM[parts[2]]
        raise DilemmaError(f"unknown parameter {path!r}{_suggest(path, valid)}; "
                           f"'dilemma sweep FILE --list-params' lists them")
    if len(parts) == 3 and parts[0] == "players" and parts[2] in _FIRM and parts[1]:
        return _FIRM[parts[2]]
    valid = list(_MARKET) + [f"players.FIRM.{f}" for f in _FIRM]
    raise DilemmaError(f"unknown parameter {path!r}{_suggest(path, valid)}")


def check_axes(axes: Mapping[str, object], scenario=None) -> dict[str, np.ndarray]:
    """Validate sweep axes: known paths, 1-d finite values within each parameter's range.

    Parameters
    ----------
    axes : mapping of dotted path to array_like
    scenario : Scenario, optional
        A model scenario whose parameter paths are the valid names.

    Returns
    -------
    dict of str to numpy.ndarray (float, 1-d)

    Raises
    ------
    DilemmaError
        For an explicit-game scenario, an unknown name, an empty axis, a
        non-finite value or a value outside the parameter's allowed range.
    """
    if scenario is not None and scenario.kind != "model":
        src = f"{scenario.source}: " if scenario.source else ""
        raise DilemmaError(
            f"{src}nothing to sweep: this scenario is an explicit game (payoffs written out "
            f"outcome by outcome), not a model with parameters; sweep a model scenario "
            f"such as the preset '2025-baseline'")
    if not axes:
        raise DilemmaError("nothing to sweep: give at least one parameter axis")
    out: dict[str, np.ndarray] = {}
    for path, raw in axes.items():
        prm = param_of_path(path, scenario)
        try:
            values = np.atleast_1d(np.asarray(raw, dtype=float))
        except (TypeError, ValueError):
            raise DilemmaError(f"{path}: expected numbers, got {raw!r}") from None
        if values.ndim != 1:
            raise DilemmaError(f"{path}: expected a 1-d list of values, got shape {values.shape}")
        if values.size == 0:
            raise DilemmaError(f"{path}: empty axis; give at least one value")
        if not np.all(np.isfinite(values)):
            raise DilemmaError(f"{path}: values must be finite numbers")
        bad = [float(v) for v in values if not prm.contains(float(v))]
        if bad:
            raise DilemmaError(
                f"{path}: value {bad[0]:g} is outside the allowed range; {prm.label} "
                f"({prm.unit or 'no unit'}) must be {prm.allowed()}")
        out[path] = values
    return out


def grid_shape(axes: Mapping[str, np.ndarray]) -> tuple[int, ...]:
    """Shape of the full factorial grid: one axis per swept parameter."""
    return tuple(len(np.atleast_1d(v)) for v in axes.values())


def grid_size(axes: Mapping[str, np.ndarray]) -> int:
    """Number of grid points (product of the axis lengths)."""
    return math.prod(grid_shape(axes))


def check_grid_size(axes: Mapping[str, np.ndarray], max_points: int | None, force: bool,
                    simulate: bool = False) -> int:
    """Refuse grids above the size cap unless ``force``; returns the size.

    ``max_points=None`` means :data:`DEFAULT_MAX_POINTS`
    (:data:`DEFAULT_MAX_POINTS_SIMULATE` with a simulation).
    """
    if max_points is None:
        max_points = DEFAULT_MAX_POINTS_SIMULATE if simulate else DEFAULT_MAX_POINTS
    if isinstance(max_points, bool) or not isinstance(max_points, (int, np.integer)) or max_points < 1:
        raise ParameterError("max_points", "a whole number >= 1", max_points)
    n = grid_size(axes)
    if n > max_points and not force:
        shape = " x ".join(str(k) for k in grid_shape(axes))
        kind = "Monte Carlo sweep" if simulate else "sweep"
        raise DilemmaError(
            f"the grid has {n:,} points ({shape}), above the {kind} cap of {int(max_points):,}; "
            f"use fewer STEPS, raise --max-points, or pass --force")
    return n


def grid_points(axes: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every grid point as flat columns (C order: the last axis changes fastest).

    >>> cols = grid_points({"a": [1, 2], "b": [10, 20, 30]})
    >>> cols["a"].tolist(), cols["b"].tolist()
    ([1.0, 1.0, 1.0, 2.0, 2.0, 2.0], [10.0, 20.0, 30.0, 10.0, 20.0, 30.0])
    """
    names = list(axes)
    vals = [np.asarray(axes[k], dtype=float) for k in names]
    mesh = np.meshgrid(*vals, indexing="ij")
    return {k: m.ravel() for k, m in zip(names, mesh)}
