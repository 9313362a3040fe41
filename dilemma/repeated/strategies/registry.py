"""The registry: every strategy by name, and the parser of ``name:key=value`` specs.

A new strategy is a small class in the module of its family (or a new
family module) with ``name``, ``label``, ``description`` and a docstring
with its ``Names:``; add the class to ``_CLASSES`` below and it is known to
the CLI (``dilemma strategies``), the tournament and the lab.

Examples
--------
>>> sorted(STRATEGIES)[:3]
['alternator', 'always-cut', 'always-spend']
>>> [s.name for s in resolve_strategies("generous-tit-for-tat:generosity=0.2")]
['generous-tit-for-tat']
"""

from __future__ import annotations

from dilemma.errors import ParameterError

from .base import Strategy
from .finance import JunkForced, LeverageRule
from .reciprocal import (FollowTheMajority, GenerousTitForTat, GrimTrigger, SuspiciousTitForTat, TitForTat,
                         TitForTwoTats, WinStayLoseShift)
from .responders import LogitResponder, MyopicBestResponse
from .unconditional import Alternator, AlwaysCut, AlwaysSpend, RandomStrategy

__all__ = ["STRATEGIES", "CLASSICS", "list_strategies", "get_strategy", "resolve_strategies"]

_CLASSES = (AlwaysSpend, AlwaysCut, TitForTat, SuspiciousTitForTat, TitForTwoTats, GrimTrigger,
            WinStayLoseShift, Alternator, GenerousTitForTat, RandomStrategy,
            LeverageRule, JunkForced, MyopicBestResponse, LogitResponder, FollowTheMajority)

#: Every strategy class by registry name.
STRATEGIES: dict[str, type[Strategy]] = {c.name: c for c in _CLASSES}

#: The ten two-player classics, in the order of the literature tables.
CLASSICS: tuple[str, ...] = ("always-spend", "always-cut", "tit-for-tat", "suspicious-tit-for-tat",
                             "tit-for-two-tats", "grim-trigger", "win-stay-lose-shift", "alternator",
                             "generous-tit-for-tat", "random")


def list_strategies() -> list[tuple[str, str]]:
    """``(name, description)`` of every registered strategy, in registry order.

    Returns
    -------
    list of (str, str)
        Registry name and one-line description (what ``dilemma strategies`` prints).

    Examples
    --------
    >>> dict(list_strategies())["grim-trigger"][:5]
    'Cuts '
    """
    return [(name, cls.description) for name, cls in STRATEGIES.items()]


def get_strategy(name: str, **params) -> Strategy:
    """A new strategy instance by registry name.

    Parameters
    ----------
    name : str
        A key of :data:`STRATEGIES` (kebab-case; ``_`` is accepted for ``-``).
    **params
        The strategy's parameters (e.g. ``threshold=0.5``, ``lam=2``).

    Raises
    ------
    ParameterError
        If the name is unknown (the message lists the valid names) or a
        parameter is out of range.

    Examples
    --------
    >>> get_strategy("random", p=0.2)
    RandomStrategy(p=0.2)
    >>> get_strategy("nice")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dilemma.errors.ParameterError: strategy: must be one of always-spend, ..., got 'nice'
    """
    key = str(name).strip().lower().replace("_", "-")
    try:
        cls = STRATEGIES[key]
    except KeyError:
        raise ParameterError("strategy", "one of " + ", ".join(STRATEGIES), name) from None
    return cls(**params)


def resolve_strategies(specs) -> list[Strategy]:
    """Strategy instances from names, classes or instances (fresh copies).

    A name may carry parameters after a colon, separated by semicolons:
    ``"generous-tit-for-tat:generosity=0.2"``, ``"win-stay-lose-shift:threshold=0.5;aspiration=1"``.
    Values are read as ``None``, an int, a float or else a string.

    Parameters
    ----------
    specs : str, Strategy, Strategy subclass, or a sequence of them

    Returns
    -------
    list of Strategy
        New instances (an instance given is copied, so matches never share memory).

    Raises
    ------
    ParameterError
        Unknown name, a parameter not written ``key=value``, or one the strategy does not take.

    Examples
    --------
    >>> [s.name for s in resolve_strategies(["tit-for-tat", "random:p=0.9"])]
    ['tit-for-tat', 'random']
    >>> resolve_strategies("follow-the-majority:memory=3")
    [FollowTheMajority(memory=3)]
    >>> resolve_strategies("tit-for-tat:speed=3")
    Traceback (most recent call last):
    ...
    dilemma.errors.ParameterError: tit-for-tat parameters: must be parameters the strategy accepts, got ['speed']
    """
    if isinstance(specs, (str, Strategy)):
        specs = [specs]
    out = []
    for spec in specs:
        if isinstance(spec, Strategy):
            out.append(spec.copy())
        elif isinstance(spec, type) and issubclass(spec, Strategy):
            out.append(spec())
        elif isinstance(spec, str):
            name, _, rest = spec.partition(":")
            params = {}
            for item in filter(None, (x.strip() for x in rest.split(";"))):
                k, eq, v = item.partition("=")
                if not eq:
                    raise ParameterError("strategy parameters", "written as name:key=value", spec)
                params[k.strip()] = _parse_value(v.strip())
            try:
                out.append(get_strategy(name, **params))
            except TypeError as exc:
                raise ParameterError(f"{name} parameters", "parameters the strategy accepts", sorted(params)) from exc
        else:
            raise ParameterError("strategy", "a strategy name, class or instance", spec)
    return out


def _parse_value(text: str):
    if text.lower() in ("none", "null"):
        return None
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text
