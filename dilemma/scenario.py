"""Scenarios: frozen, validated descriptions of a capex game, read from TOML.

A scenario is one TOML file of one of two kinds.

**A model scenario** describes the economics of ``docs/explanation/model.md``:
a ``[[players]]`` table per firm and the market-wide parameters in the
sections ``[market]``, ``[demand]``, ``[finance]``, ``[risk]`` and
``[dynamics]`` (any parameter left out takes its default from
:mod:`dilemma.parameters`). The payoff engine (:mod:`dilemma.payoffs`) turns it
into an N-player Spend/Cut game.

**An explicit game** lists its payoffs outcome by outcome::

    title = "Textbook prisoner's dilemma"
    [game]
    players = ["Alpha", "Beta"]
    actions = ["Spend", "Cut"]        # shared by all, or one list per player
    [[game.outcomes]]
    profile = ["Spend", "Cut"]
    payoffs = [5.0, 0.0]

Validation is strict: unknown keys, missing or duplicated profiles, unknown
actions, wrong payoff counts, NaN or infinite numbers, out-of-range parameters
and empty or non-TOML files all raise :class:`~dilemma.errors.ScenarioError`
naming the file, the field and what is allowed.

Examples
--------
>>> from dilemma import load_preset
>>> s = load_preset("2025-baseline")
>>> s.player_names
('Microsoft', 'Alphabet', 'Amazon', 'Meta', 'Oracle')
>>> s.value("market.punishment")
0.009
>>> s.with_values({"market.punishment": 0.0}).value("market.punishment")
0.0
"""

from __future__ import annotations

import difflib
import itertools
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from importlib import resources
from typing import Any, Mapping

from .errors import ScenarioError
from .parameters import FIRM_FIELDS, MARKET_PARAMS, SECTIONS, Param

__all__ = [
    "Player",
    "ExplicitGame",
    "Scenario",
    "load_scenario",
    "loads_scenario",
    "scenario_from_dict",
    "list_presets",
    "load_preset",
    "preset_path",
    "CONFIG_DIR",
    "PRESET_DIR",
    "MAX_MODEL_PLAYERS",
    "MAX_PROFILES",
]

#: Folder of the shipped presets (``configs/`` at the project root).
#: The shipped presets: package data (``dilemma/presets/``, ``configs/`` in a checkout links
#: there), so an installed wheel has them. Textbook games sit in ``games/``.
PRESET_DIR = Path(str(resources.files("dilemma").joinpath("presets")))
#: Former name of :data:`PRESET_DIR`.
CONFIG_DIR = PRESET_DIR
#: A model scenario builds a 2^N-profile game; beyond this many firms it gets slow.
MAX_MODEL_PLAYERS = 16
#: Largest explicit game (number of action profiles) a file may describe.
MAX_PROFILES = 1_000_000

_MARKET_BY_PATH = {p.path: p for p in MARKET_PARAMS}
_FIRM_BY_KEY = {p.path: p for p in FIRM_FIELDS}
_REQUIRED_FIRM = ("name", "capex", "ocf", "ebitda", "market_value")
_FIRM_DEFAULTS = {"cash": 0.0, "debt": 0.0, "edge": 1.0}
_META_KEYS = ("title", "description", "judgement", "sources")


@dataclass(frozen=True)
class Player:
    """One firm of a model scenario ($B; flows per year)."""

    name: str
    capex: float
    ocf: float
    ebitda: float
    market_value: float
    cash: float = 0.0
    debt: float = 0.0
    edge: float = 1.0
    backlog: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **{p.path: getattr(self, p.path) for p in FIRM_FIELDS}}


@dataclass(frozen=True)
class ExplicitGame:
    """A game given outcome by outcome.

    ``outcomes`` holds one ``(profile, payoffs)`` pair per action profile, in
    the order of :func:`itertools.product` over the players' actions.
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    outcomes: tuple[tuple[tuple[str, ...], tuple[float, ...]], ...]

    def payoff_arrays(self):
        """One ``numpy`` array per player, indexed by the action profile."""
        import numpy as np

        shape = tuple(len(a) for a in self.actions)
        stacked = np.array([pay for _, pay in self.outcomes], dtype=float)
        return [stacked[:, i].reshape(shape) for i in range(len(self.players))]


@dataclass(frozen=True)
class Scenario:
    """A validated scenario (immutable and hashable, so caches can key on it).

    Attributes
    ----------
    title, description : str
    kind : {"model", "game"}
    players : tuple of Player
        The firms (model scenarios only).
    params : tuple of (str, float)
        Every market-wide parameter by dotted path, sorted (model scenarios).
    game : ExplicitGame or None
        The outcomes of an explicit game.
    judgement : tuple of str
        Dotted paths whose values are calibrated judgement, not measurement.
    sources : tuple of str
        Where the figures come from.
    source : str or None
        The file the scenario was read from.
    """

    title: str
    kind: str
    description: str = ""
    players: tuple[Player, ...] = ()
    params: tuple[tuple[str, float], ...] = ()
    game: ExplicitGame | None = None
    judgement: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source: str | None = field(default=None, compare=False)

    # ---- reading -------------------------------------------------------
    @property
    def player_names(self) -> tuple[str, ...]:
        if self.kind == "game":
            return self.game.players
        return tuple(p.name for p in self.players)

    @property
    def n_players(self) -> int:
        return len(self.player_names)

    @property
    def values(self) -> dict[str, float]:
        """Market-wide parameters by dotted path (empty for explicit games)."""
        return dict(self.params)

    def value(self, path: str) -> float:
        """The value of a dotted path: ``market.punishment`` or ``players.Meta.capex``."""
        if path in self.values:
            return self.values[path]
        firm, key = _split_firm_path(path, self)
        return getattr(firm, key)

    def parameter_paths(self) -> list[str]:
        """Every dotted path a sweep can vary, market-wide first."""
        if self.kind == "game":
            return []
        paths = [p.path for p in MARKET_PARAMS]
        for pl in self.players:
            paths += [f"players.{pl.name}.{f.path}" for f in FIRM_FIELDS]
        return paths

    # ---- changing ------------------------------------------------------
    def with_values(self, updates: Mapping[str, float]) -> "Scenario":
        """A new scenario with some dotted paths set (validated like a file).

        Raises
        ------
        ScenarioError
            For an unknown path (with the nearest valid one) or a value out of range.
        """
        if self.kind == "game":
            raise ScenarioError("an explicit game has no model parameters to set", field="game")
        values = dict(self.params)
        players = {p.name: p.to_dict() for p in self.players}
        for path, val in updates.items():
            if path in _MARKET_BY_PATH:
                values[path] = _check_number(val, _MARKET_BY_PATH[path], path, self.source)
            else:
                firm, key = _split_firm_path(path, self)
                players[firm.name][key] = _check_number(val, _FIRM_BY_KEY[key], path, self.source)
        return replace(
            self,
            params=tuple(sorted(values.items())),
            players=tuple(Player(**d) for d in players.values()),
        )

    def with_players(self, players: list[Mapping[str, Any]]) -> "Scenario":
        """A new model scenario with its firm table replaced (validated)."""
        data = self.to_dict()
        data["players"] = [dict(p) for p in players]
        return scenario_from_dict(data, source=self.source)

    # ---- writing -------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The scenario as the plain data of its TOML file."""
        out: dict[str, Any] = {"title": self.title}
        if self.description:
            out["description"] = self.description
        if self.judgement:
            out["judgement"] = list(self.judgement)
        if self.sources:
            out["sources"] = list(self.sources)
        if self.kind == "game":
            g = self.game
            shared = all(a == g.actions[0] for a in g.actions)
            out["game"] = {
                "players": list(g.players),
                "actions": list(g.actions[0]) if shared else [list(a) for a in g.actions],
                "outcomes": [{"profile": list(pr), "payoffs": list(pay)} for pr, pay in g.outcomes],
            }
            return out
        for section in SECTIONS:
            out[section] = {
                k.split(".", 1)[1]: v for k, v in self.params if k.split(".", 1)[0] == section
            }
        out["players"] = [p.to_dict() for p in self.players]
        return out

    def to_toml(self) -> str:
        """The scenario as TOML text that :func:`loads_scenario` reads back."""
        import tomli_w

        return tomli_w.dumps(self.to_dict())

    def build_game(self):
        """The :class:`~dilemma.game.Game` of this scenario (see :func:`dilemma.payoffs.build_game`)."""
        from .payoffs import build_game

        return build_game(self)


# ---- loading -----------------------------------------------------------


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file, or the name of a preset in ``configs/`` (``"2025-baseline"``).

    Raises
    ------
    ScenarioError
        If the file is missing, empty, not TOML or not a valid scenario; the
        message names the file, the field and what is allowed.
    """
    p = Path(path)
    if not p.exists() and not p.suffix and (PRESET_DIR / f"{p.as_posix()}.toml").is_file():
        p = PRESET_DIR / f"{p.as_posix()}.toml"
    src = str(path)
    if not p.exists():
        hint = ""
        if not p.suffix and p.parent in (Path("."), Path("games")):
            names = list_presets(games=True)
            hint = _suggest(p.as_posix(), names) or f"; presets: {', '.join(names)}"
        raise ScenarioError(f"no such file{hint}", source=src)
    if p.is_dir():
        raise ScenarioError("is a folder, expected a .toml scenario file", source=src)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("not a text file (expected UTF-8 TOML)", source=src) from None
    except OSError as exc:
        raise ScenarioError(f"cannot be read ({exc.strerror})", source=src) from None
    return loads_scenario(text, source=src)


def loads_scenario(text: str | bytes, source: str = "<string>") -> Scenario:
    """Parse and validate scenario TOML text (an uploaded file, say)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError("not a text file (expected UTF-8 TOML)", source=source) from None
    if not text.strip():
        raise ScenarioError("the file is empty; expected a TOML scenario with [[players]] or [game]", source=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML ({exc})", source=source) from None
    return scenario_from_dict(data, source=source)


def scenario_from_dict(data: Mapping[str, Any], source: str | None = None) -> Scenario:
    """Validate plain data (as read from TOML) into a :class:`Scenario`."""
    if not isinstance(data, Mapping):
        raise ScenarioError("expected a table at the top level", source=source)
    has_game, has_players = "game" in data, "players" in data
    if has_game and has_players:
        raise ScenarioError(
            "a scenario is either a model ([[players]]) or an explicit game ([game]), not both",
            source=source, field="game",
        )
    if not has_game and not has_players:
        raise ScenarioError(
            "expected [[players]] (a model scenario) or [game] (an explicit game)", source=source
        )
    title = _check_text(data.get("title", Path(source).stem if source else "Untitled"), "title", source)
    description = _check_text(data.get("description", ""), "description", source)
    sources = _check_text_list(data.get("sources", []), "sources", source)
    if has_game:
        _check_keys(data, ("title", "description", "sources", "game"), "", source)
        game = _parse_game(data["game"], source)
        return Scenario(title=title, kind="game", description=description, game=game,
                        sources=sources, source=source)

    _check_keys(data, _META_KEYS + SECTIONS + ("players",), "", source)
    values = {p.path: p.default for p in MARKET_PARAMS}
    for section in SECTIONS:
        table = data.get(section, {})
        if not isinstance(table, Mapping):
            raise ScenarioError(f"expected a table [{section}]", source=source, field=section)
        allowed = [p.key for p in MARKET_PARAMS if p.section == section]
        _check_keys(table, allowed, section, source)
        for key, val in table.items():
            path = f"{section}.{key}"
            values[path] = _check_number(val, _MARKET_BY_PATH[path], path, source)
    players = _parse_players(data["players"], source)
    judgement = _check_text_list(data.get("judgement", []), "judgement", source)
    valid = set(values) | {f"players.{p.name}.{f.path}" for p in players for f in FIRM_FIELDS}
    for j in judgement:
        if j not in valid:
            raise ScenarioError(f"unknown parameter {j!r}{_suggest(j, valid)}", source=source, field="judgement")
    return Scenario(
        title=title, kind="model", description=description, players=players,
        params=tuple(sorted(values.items())), judgement=judgement, sources=sources, source=source,
    )


# ---- presets -------------------------------------------------------------


def list_presets(games: bool = False) -> list[str]:
    """Names of the shipped presets, baseline first; with ``games=True`` the textbook games follow.

    The names are the ones every front end accepts: ``dilemma solve NAME``,
    the lab's ``?preset=NAME`` and :func:`load_preset`. Textbook games are
    named ``games/<stem>``.

    Parameters
    ----------
    games : bool, default False
        Also list the textbook games of ``presets/games/``.

    Examples
    --------
    >>> list_presets()[0]
    '2025-baseline'
    >>> "games/chicken" in list_presets(games=True)
    True
    """
    names = sorted(p.stem for p in PRESET_DIR.glob("*.toml"))
    names = sorted(names, key=lambda n: (0 if "baseline" in n else 1, n))
    if games:
        names += sorted(f"games/{p.stem}" for p in (PRESET_DIR / "games").glob("*.toml"))
    return names


def preset_path(name: str) -> Path:
    """Path of a preset by name (with or without ``.toml``; ``games/<stem>`` for a textbook game).

    Raises
    ------
    ScenarioError
        No preset has that name; the message suggests the closest names.

    Examples
    --------
    >>> preset_path("games/chicken").name
    'chicken.toml'
    """
    stem = name[:-5] if name.endswith(".toml") else name
    path = PRESET_DIR / f"{stem}.toml"
    names = list_presets(games=True)
    if stem not in names or not path.is_file():
        raise ScenarioError(
            f"unknown preset {name!r}{_suggest(stem, names)}; presets: {', '.join(names)}",
            field="preset",
        )
    return path


def load_preset(name: str) -> Scenario:
    """Load a shipped preset by name, e.g. ``"2025-baseline"``."""
    return load_scenario(preset_path(name))


# ---- validation helpers --------------------------------------------------


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(table: Mapping, allowed, where: str, source) -> None:
    for key in table:
        if key not in allowed:
            path = f"{where}.{key}" if where else key
            raise ScenarioError(
                f"unknown key{_suggest(key, allowed)}; allowed: {', '.join(allowed)}",
                source=source, field=path,
            )


def _check_text(val, fld, source) -> str:
    if not isinstance(val, str):
        raise ScenarioError(f"must be a string, got {type(val).__name__}", source=source, field=fld)
    return val


def _check_text_list(val, fld, source) -> tuple[str, ...]:
    if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
        raise ScenarioError("must be a list of strings", source=source, field=fld)
    return tuple(val)


def _finite(val, fld, source) -> float:
    if isinstance(val, bool) or not isinstance(val, (int, float)):
        try:  # numpy scalars from the lab's widgets
            import numbers

            if isinstance(val, numbers.Real) and not isinstance(val, bool):
                val = float(val)
            else:
                raise TypeError
        except TypeError:
            raise ScenarioError(f"must be a number, got {val!r}", source=source, field=fld) from None
    val = float(val)
    if not math.isfinite(val):
        raise ScenarioError(f"must be a finite number, got {val}", source=source, field=fld)
    return val


def _check_number(val, spec: Param, fld: str, source) -> float:
    val = _finite(val, fld, source)
    if not spec.contains(val):
        unit = "" if spec.percent else f" ({spec.unit or spec.label})"
        raise ScenarioError(f"must be {spec.allowed()}{unit}, got {val:g}", source=source, field=fld)
    return val


def _split_firm_path(path: str, scenario: Scenario):
    parts = path.split(".")
    valid = scenario.parameter_paths()
    if len(parts) == 3 and parts[0] == "players":
        firm = next((p for p in scenario.players if p.name == parts[1]), None)
        if firm is not None and parts[2] in _FIRM_BY_KEY:
            return firm, parts[2]
    raise ScenarioError(f"unknown parameter{_suggest(path, valid)}; see `dilemma sweep FILE --list-params`",
                        source=scenario.source, field=path)


def _parse_players(raw, source) -> tuple[Player, ...]:
    if not isinstance(raw, list) or not raw:
        raise ScenarioError("expected one [[players]] table per firm", source=source, field="players")
    if not 2 <= len(raw) <= MAX_MODEL_PLAYERS:
        raise ScenarioError(f"must list between 2 and {MAX_MODEL_PLAYERS} firms, got {len(raw)}",
                            source=source, field="players")
    players, seen = [], set()
    allowed = ("name",) + tuple(f.path for f in FIRM_FIELDS)
    for k, row in enumerate(raw):
        where = f"players[{k}]"
        if not isinstance(row, Mapping):
            raise ScenarioError("expected a table", source=source, field=where)
        _check_keys(row, allowed, where, source)
        for req in _REQUIRED_FIRM:
            if req not in row:
                raise ScenarioError(f"missing required key {req!r}", source=source, field=where)
        name = _check_text(row["name"], f"{where}.name", source).strip()
        if not name or "." in name:
            raise ScenarioError("must be a non-empty name without dots", source=source, field=f"{where}.name")
        if name in seen:
            raise ScenarioError(f"duplicate firm name {name!r}", source=source, field=f"{where}.name")
        seen.add(name)
        vals = {**_FIRM_DEFAULTS, **{k2: v for k2, v in row.items() if k2 != "name"}}
        checked = {k2: _check_number(v, _FIRM_BY_KEY[k2], f"players.{name}.{k2}", source) for k2, v in vals.items()}
        players.append(Player(name=name, **checked))
    return tuple(players)


def _parse_game(raw, source) -> ExplicitGame:
    if not isinstance(raw, Mapping):
        raise ScenarioError("expected a table [game]", source=source, field="game")
    _check_keys(raw, ("players", "actions", "outcomes"), "game", source)
    for req in ("players", "actions", "outcomes"):
        if req not in raw:
            raise ScenarioError(f"missing required key {req!r}", source=source, field="game")
    players = raw["players"]
    if (not isinstance(players, list) or len(players) < 1
            or not all(isinstance(p, str) and p.strip() for p in players)):
        raise ScenarioError("must be a list of player names (strings)", source=source, field="game.players")
    if len(set(players)) != len(players):
        raise ScenarioError("player names must be distinct", source=source, field="game.players")
    n = len(players)
    acts = raw["actions"]
    if isinstance(acts, list) and acts and all(isinstance(a, str) for a in acts):
        actions = tuple(tuple(acts) for _ in range(n))
    elif isinstance(acts, list) and len(acts) == n and all(isinstance(a, list) for a in acts):
        actions = tuple(tuple(a) for a in acts)
    else:
        raise ScenarioError(
            f"must be a list of action names shared by all players, or {n} lists (one per player)",
            source=source, field="game.actions",
        )
    for i, a in enumerate(actions):
        if not a or not all(isinstance(x, str) and x.strip() for x in a):
            raise ScenarioError(f"player {players[i]!r} needs at least one action name (strings)",
                                source=source, field="game.actions")
        if len(set(a)) != len(a):
            raise ScenarioError(f"player {players[i]!r} has duplicate action names", source=source,
                                field="game.actions")
    size = math.prod(len(a) for a in actions)
    if size > MAX_PROFILES:
        raise ScenarioError(f"the game has {size} action profiles; at most {MAX_PROFILES} are allowed",
                            source=source, field="game.actions")
    outcomes = raw["outcomes"]
    if not isinstance(outcomes, list):
        raise ScenarioError("expected one [[game.outcomes]] table per action profile", source=source,
                            field="game.outcomes")
    table: dict[tuple[str, ...], tuple[float, ...]] = {}
    for k, row in enumerate(outcomes):
        where = f"game.outcomes[{k}]"
        if not isinstance(row, Mapping):
            raise ScenarioError("expected a table with profile and payoffs", source=source, field=where)
        _check_keys(row, ("profile", "payoffs"), where, source)
        if "profile" not in row or "payoffs" not in row:
            raise ScenarioError("needs both 'profile' and 'payoffs'", source=source, field=where)
        prof = row["profile"]
        if not isinstance(prof, list) or len(prof) != n:
            raise ScenarioError(f"profile must list one action per player ({n})", source=source,
                                field=f"{where}.profile")
        for i, a in enumerate(prof):
            if a not in actions[i]:
                raise ScenarioError(
                    f"unknown action {a!r} for {players[i]!r}; allowed: {', '.join(actions[i])}",
                    source=source, field=f"{where}.profile",
                )
        pays = row["payoffs"]
        if not isinstance(pays, list) or len(pays) != n:
            got = len(pays) if isinstance(pays, list) else type(pays).__name__
            raise ScenarioError(f"must list one payoff per player ({n}), got {got}", source=source,
                                field=f"{where}.payoffs")
        pays = tuple(_finite(v, f"{where}.payoffs", source) for v in pays)
        key = tuple(prof)
        if key in table:
            raise ScenarioError(f"profile {list(key)} appears twice", source=source, field=f"{where}.profile")
        table[key] = pays
    ordered = []
    for prof in itertools.product(*actions):
        if prof not in table:
            raise ScenarioError(f"missing the outcome for profile {list(prof)}; every profile needs one",
                                source=source, field="game.outcomes")
        ordered.append((prof, table[prof]))
    return ExplicitGame(players=tuple(players), actions=actions, outcomes=tuple(ordered))
