"""The lab's state as plain data: URL query parameters, slider units, uploads.

The Streamlit lab (``app.py``) keeps every setting a user can change in the
URL, so a copied link opens the same screen for anyone. This module does the
pure part of that, without Streamlit, so it can be unit-tested:

* :func:`slider_spec` turns a row of the parameter table
  (:mod:`dilemma.parameters`) into what a slider shows: range, step and format
  in *display* units (percent parameters times 100).
* :func:`encode_query` writes the non-default part of a state as short query
  parameters; :func:`decode_query` reads them back, validating every value and
  collecting a plain-language problem for each one it has to ignore.
* :func:`read_upload` validates an uploaded scenario file.

URL format
----------
Only values that differ from their default appear, so links stay short and
readable. A link says its unit in the key: a percent parameter written by the
lab carries ``_pct`` and is in percent, as its slider shows it
(``punishment_pct=0.9``); a bare key is in the model's own unit, the fraction
that TOML files, the CLI and Python use (``punishment=0.009`` is the same
setting). So ``?punishment=0.009`` can never be read as 0.009 %::

    ?preset=classroom-two-player&punishment_pct=0&Alpha.capex=120&present=true

=====================  =======================================================
key                    meaning
=====================  =======================================================
``preset``             the preset the settings start from (default: baseline)
``<param>_pct``        a percent parameter in percent, as its slider shows it
                       (``punishment_pct=0.9``); written by the lab
``<param>``            a market-wide parameter by its short name in model units
                       (``punishment=0.009``: fractions as in TOML and the CLI)
``<Firm>.<field>``     a firm's field (``Meta.capex``), in $B
other keys             the lab's own settings, see :data:`SETTINGS`
=====================  =======================================================

Examples
--------
>>> from dilemma.scenario import load_preset, list_presets
>>> base = load_preset("2025-baseline")
>>> now = base.with_values({"market.punishment": 0.0, "players.Meta.capex": 80.0})
>>> q = encode_query("2025-baseline", base, now, {"present": True})
>>> q
{'punishment_pct': '0', 'Meta.capex': '80', 'present': 'true'}
>>> d = decode_query(q, presets=list_presets(), load=load_preset)
>>> d.preset, d.updates, d.settings, d.problems
('2025-baseline', {'market.punishment': 0.0, 'players.Meta.capex': 80.0}, {'present': True}, ())
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from dilemma.errors import ScenarioError
from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS, Param

__all__ = [
    "DEFAULT_PRESET",
    "OPEN_SECTIONS",
    "PRESENTER_PARAMS",
    "TABLE_FIELDS",
    "Setting",
    "SETTINGS",
    "SliderSpec",
    "Decoded",
    "slider_spec",
    "display_value",
    "stored_value",
    "query_key",
    "url_key",
    "PCT",
    "TOURNAMENT",
    "encode_query",
    "slider_query",
    "sections_to_open",
    "decode_query",
    "read_upload",
    "MAX_UPLOAD_BYTES",
    "MAX_LAB_FIRMS",
    "format_number",
    "changes",
    "retitled",
    "profile_code",
    "parse_profile",
]

#: The preset a fresh lab opens with (no ``preset`` key in the URL).
DEFAULT_PRESET = "2025-baseline"
#: Largest uploaded file the lab reads (bytes); scenario files are a few kB.
MAX_UPLOAD_BYTES = 1_000_000  # as server.maxUploadSize (1 MB) in .streamlit/config.toml
#: Most firms a model scenario may have in the lab (2^N profiles per rerun).
MAX_LAB_FIRMS = 10
#: The parameters a presenter sees; the others keep their values but are hidden.
PRESENTER_PARAMS = (
    "market.cut_depth",
    "market.punishment",
    "demand.profit_pool",
    "demand.absorbed_capex",
    "demand.price_war",
    "demand.delay",
)
#: Sidebar sections open when a session starts (the others open on a click; a closed section's sliders
#: are not drawn, so a rerun costs less). A link that sets a parameter of a closed section opens it.
OPEN_SECTIONS = ("market", "demand")
#: Firm fields shown in the lab's firm table, in this order.
TABLE_FIELDS = ("market_value", "capex", "ocf", "cash", "debt", "ebitda", "edge")  # market value first: in view on a laptop

_MARKET = {p.path: p for p in MARKET_PARAMS}
_BY_SHORT = {p.key: p for p in MARKET_PARAMS}
#: Suffix of a URL key holding a percent parameter in percent (display units).
PCT = "_pct"
_BY_PCT = {p.key + PCT: p for p in MARKET_PARAMS if p.percent}
_FIRM = {p.path: p for p in FIRM_FIELDS}
_TOL = 1e-9


# ---- units and sliders ----------------------------------------------------


def _tidy(x: float) -> float:
    """Round away binary noise (0.9000000000000001 -> 0.9)."""
    return float(f"{x:.12g}")


def display_value(param: Param, stored: float) -> float:
    """A stored value in the units a slider shows (percent parameters x 100).

    Parameters
    ----------
    param : dilemma.parameters.Param
        The parameter's row of the parameter table (``param.percent`` says
        whether it is shown in percent).
    stored : float
        The value in the model's units (a fraction for a percent parameter).

    Returns
    -------
    float
        Rounded to 12 significant digits, so binary noise does not show.

    Examples
    --------
    >>> from dilemma.parameters import param
    >>> display_value(param("market.punishment"), 0.009)
    0.9
    >>> display_value(param("demand.profit_pool"), 210.0)
    210.0
    """
    return _tidy(stored * 100.0) if param.percent else _tidy(stored)


def stored_value(param: Param, shown: float) -> float:
    """The inverse of :func:`display_value`: a slider's value in the model's units.

    Parameters
    ----------
    param : dilemma.parameters.Param
        The parameter's row of the parameter table.
    shown : float
        The value as the slider shows it (percent for a percent parameter).

    Returns
    -------
    float

    Examples
    --------
    >>> from dilemma.parameters import param
    >>> stored_value(param("market.punishment"), 0.9)
    0.009
    >>> stored_value(param("market.punishment"), display_value(param("market.punishment"), 0.0123))
    0.0123
    """
    return _tidy(shown / 100.0) if param.percent else _tidy(shown)


def _nice_step(span: float) -> float:
    """A step of 1, 2 or 5 times a power of ten, giving 50-100 slider positions."""
    if span <= 0:
        return 1.0
    raw = span / 100.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return _tidy(m * power)
    return _tidy(10 * power)  # pragma: no cover


@dataclass(frozen=True)
class SliderSpec:
    """What a slider for one parameter shows (all numbers in display units).

    Built by :func:`slider_spec`; the lab passes the fields to ``st.slider``.

    Attributes
    ----------
    path : str
        The parameter's dotted path (``"market.punishment"``).
    label : str
        Its label with the unit in brackets.
    low, high, step : float
        The slider's range and step, in display units.
    format : str
        A printf format for the value (``"%.2f"``).
    help : str
        The tooltip: what the parameter means and its symbol in the model.
    unit : str
        The unit in display units (``"% of market value per year"``).
    integer : bool
        Whole numbers only (years, say).

    Examples
    --------
    >>> from dilemma.parameters import param
    >>> spec = slider_spec(param("finance.asset_life"))
    >>> spec.label, spec.low, spec.high, spec.step, spec.integer
    ('Asset life (years)', 3.0, 10.0, 0.1, False)
    >>> slider_spec(param("dynamics.lease_term")).step
    1.0
    """

    path: str
    label: str
    low: float
    high: float
    step: float
    format: str
    help: str
    unit: str
    integer: bool = False


def _unit_text(param: Param) -> str:
    unit = param.unit
    if param.percent and not unit.startswith("%"):
        if unit in ("share", ""):
            unit = "%"
        elif unit.startswith("share of "):
            unit = "% of " + unit[len("share of "):]
        else:
            unit = f"% of {unit}"
    return unit


@functools.lru_cache(maxsize=None)  # one per parameter; the sidebar asks on every rerun
def slider_spec(param: Param) -> SliderSpec:
    """Range, step, format and label of the slider for ``param``.

    The label carries the unit, the help text the model symbol, so a student
    can find the parameter in the docs. The step is 1, 2 or 5 times a power
    of ten, giving 50 to 100 slider positions over the range.

    Parameters
    ----------
    param : dilemma.parameters.Param
        The parameter's row of the parameter table.

    Returns
    -------
    SliderSpec

    Examples
    --------
    The punishment's range is -0.5 % to 3 %: a span of 3.5 points, so a
    step of 0.05 gives 70 positions.

    >>> from dilemma.parameters import param
    >>> s = slider_spec(param("market.punishment"))
    >>> s.low, s.high, s.step, s.format
    (-0.5, 3.0, 0.05, '%.2f')
    >>> s.label
    'Market punishment for cutting (% of market value per year)'
    """
    low, high = display_value(param, param.low), display_value(param, param.high)
    if param.integer:
        step, fmt = 1.0, "%d"
    else:
        step = _nice_step(high - low)
        decimals = max(0, -math.floor(math.log10(step) + 1e-12))
        fmt = f"%.{decimals}f"
    unit = _unit_text(param)
    label = f"{param.label} ({unit})" if unit else param.label
    help_text = f"{param.help} Symbol in the model: {param.symbol}."
    return SliderSpec(param.path, label, low, high, step, fmt, help_text, unit, param.integer)


def format_number(x: float) -> str:
    """Short text for a number in a URL: ``0.9``, ``80``, ``-0.25``.

    Parameters
    ----------
    x : float

    Returns
    -------
    str
        No trailing zeros, no exponent for whole numbers, at most 10
        significant digits.

    Examples
    --------
    >>> format_number(0.9000000000000001), format_number(80.0), format_number(-0.25), format_number(-0.0)
    ('0.9', '80', '-0.25', '0')
    """
    x = _tidy(float(x))
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.10g}"


# ---- profiles as text -----------------------------------------------------


def profile_code(profile: Sequence[int], actions: Sequence[Sequence[str]]) -> str:
    """A pure profile as one letter per player: ``(0, 1)`` -> ``"SC"``.

    Parameters
    ----------
    profile : sequence of int
        One action index per player.
    actions : sequence of sequence of str
        Each player's action names; the first letter (upper case) stands
        for the action.

    Returns
    -------
    str

    Examples
    --------
    >>> profile_code((0, 1, 1), [["Spend", "Cut"]] * 3)
    'SCC'
    """
    return "".join(actions[i][a][0].upper() for i, a in enumerate(profile))


def parse_profile(code: str, actions: Sequence[Sequence[str]]) -> tuple[int, ...]:
    """The inverse of :func:`profile_code`; raises ``ValueError`` naming the problem.

    Parameters
    ----------
    code : str
        One letter per player, case-insensitive, surrounding blanks ignored.
    actions : sequence of sequence of str
        Each player's action names.

    Returns
    -------
    tuple of int
        One action index per player.

    Raises
    ------
    ValueError
        If the code has the wrong length or a letter names no action of its player.

    Examples
    --------
    >>> parse_profile(" scc ", [["Spend", "Cut"]] * 3)
    (0, 1, 1)
    >>> parse_profile("SX", [["Spend", "Cut"]] * 2)
    Traceback (most recent call last):
    ...
    ValueError: letter 'X' is not an action of player 2 (S/C)
    """
    code = code.strip().upper()
    if len(code) != len(actions):
        raise ValueError(f"needs one letter per player ({len(actions)}), got {code!r}")
    out = []
    for i, ch in enumerate(code):
        letters = [a[0].upper() for a in actions[i]]
        if ch not in letters:
            raise ValueError(f"letter {ch!r} is not an action of player {i + 1} ({'/'.join(letters)})")
        out.append(letters.index(ch))
    return tuple(out)


# ---- the lab's own settings -----------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A lab setting that is not a model parameter (a page's control).

    ``kind`` is one of ``bool``, ``int``, ``float``, ``str``; ``low``/``high``
    bound numbers, ``choices`` restricts strings (``None``: any, or checked
    against choices the app passes to :func:`decode_query`). Every setting
    is in :data:`SETTINGS`, by key.

    Examples
    --------
    >>> years = SETTINGS["years"]
    >>> years.kind, years.default, years.parse("30"), years.format(30)
    ('int', 20, 30, '30')
    """

    key: str
    default: Any
    kind: str
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    def parse(self, text: str, choices: Sequence[str] | None = None) -> Any:
        """The value of URL text; ``ValueError`` naming what is allowed.

        Parameters
        ----------
        text : str
            The text in the URL.
        choices : sequence of str, optional
            Allowed strings that depend on the app (they replace ``self.choices``).

        Returns
        -------
        bool, int, float or str
            As ``self.kind`` says.

        Raises
        ------
        ValueError
            If the text is not of the setting's kind, out of range or not one of the choices.

        Examples
        --------
        >>> SETTINGS["present"].parse("true"), SETTINGS["noise"].parse("0.1")
        (True, 0.1)
        >>> SETTINGS["noise"].parse("2")
        Traceback (most recent call last):
        ...
        ValueError: must be between 0 and 0.5, got 2
        """
        text = str(text).strip()
        if self.kind == "bool":  # what Streamlit's bound toggles read: anything else is dropped
            low = text.lower()
            if low == "true":
                return True
            if low in ("false", ""):
                return False
            raise ValueError(f"must be true or false, got {text!r}")
        if self.kind in ("int", "float"):
            try:
                val = float(text)
            except ValueError:
                raise ValueError(f"must be a number, got {text!r}") from None
            if not math.isfinite(val):
                raise ValueError(f"must be a finite number, got {text!r}")
            if self.kind == "int":
                if not val.is_integer():
                    raise ValueError(f"must be a whole number, got {text!r}")
                val = int(val)
            if (self.low is not None and val < self.low) or (self.high is not None and val > self.high):
                raise ValueError(f"must be between {self.low:g} and {self.high:g}, got {text}")
            return val
        allowed = choices if choices is not None else self.choices
        if allowed is not None and text not in allowed:
            raise ValueError(f"must be one of {', '.join(map(str, allowed))}; got {text!r}")
        return text

    def format(self, value: Any) -> str:
        """The URL text of a value (the inverse of :meth:`parse`).

        Parameters
        ----------
        value : bool, int, float or str

        Returns
        -------
        str

        Examples
        --------
        >>> SETTINGS["present"].format(True), SETTINGS["noise"].format(0.05)
        ('true', '0.05')
        """
        if self.kind == "bool":  # as Streamlit's bound toggles write and read them
            return "true" if value else "false"
        if self.kind in ("int", "float"):
            return format_number(value)
        return str(value)


def _s(*args, **kw) -> Setting:
    return Setting(*args, **kw)


#: Every lab setting kept in the URL, by key. Pages read their defaults here.
SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        _s("present", False, "bool", "Presenter mode: larger type, advanced controls hidden."),
        # page 1: the one-shot game
        _s("firm", "", "str", "Firm whose payoff breakdown is shown (empty: the first firm)."),
        _s("profile", "", "str", "Profile of the breakdown, one letter per firm (S = Spend, C = Cut); "
           "empty: the first equilibrium."),
        # page 2: regime map
        _s("x", "market.punishment", "str", "Parameter on the map's horizontal axis."),
        _s("y", "demand.profit_pool", "str", "Parameter on the map's vertical axis."),
        _s("color", "game_type", "str", "What the map's colour shows.",
           choices=("game_type", "equilibria")),
        _s("res", 21, "int", "Grid points per axis of the regime map.", low=5, high=61),
        # page 3: repeated play
        _s("strat", "", "str", "Strategy per firm, comma-separated (empty: the page's default)."),
        _s("years", 20, "int", "Years of repeated play.", low=2, high=60),
        _s("noise", 0.05, "float", "Chance per year that a firm does the opposite of its plan.",
           low=0.0, high=0.5),
        _s("seed", 0, "int", "Seed of the random draws (same seed, same run).", low=0, high=2**31 - 1),
        _s("runs", 100, "int", "Monte Carlo runs for the bands.", low=10, high=1000),
        _s("horizon", 10.0, "float", "Management horizon H (years) behind the discount factor "
           "δ = exp(−(r + 1/H)).", low=0.5, high=100.0),
        _s("step", 0, "int", "Repeated play in presenter mode: years revealed so far (0: all). "
           "Guided tour: the step shown.", low=0, high=60),
        _s("engine", "state", "str", "Repeated play: the stage game repeated, or the multi-year model "
           "with cash, debt and ratings.", choices=("stage", "state")),
        # page 4: tournament and evolution
        _s("turns", 20, "int", "Rounds per match in the tournament.", low=2, high=200),
        _s("gens", 60, "int", "Generations of the evolution.", low=5, high=500),
        _s("pop", 20, "int", "Population size of the Moran process.", low=3, high=200),
        _s("mutant", "", "str", "Strategy of the Moran mutant (empty: the page's default)."),
        _s("resident", "", "str", "Strategy of the Moran residents (empty: the page's default)."),
        _s("pool", "", "str", "Strategies in the tournament, comma-separated (empty: all)."),
        _s("strength", 1.0, "float", "Strength of selection in the Moran process: 0, pure luck decides who "
           "is copied; 1, the best payoff in the table gives e ≈ 2.7 times the offspring of the worst; "
           "higher, payoffs matter more.", low=0.0, high=5.0),
        _s("others", "cut", "str", "Tournament on a scenario of more than two firms: what the firms outside "
           "the match do every year (the first two firms play the matches).", choices=("cut", "spend")),
        # follow the money
        _s("loop", "", "str", "Follow the money: the network of committed flows (empty: the first loop)."),
        _s("shock", "fail", "str", "Follow the money: a player fails (stops paying), a player cuts its "
           "purchases, or one flow stops.", choices=("fail", "cut", "flow")),
        _s("who", "", "str", "Follow the money: the player that fails or cuts, or the flow that stops "
           "(payer->payee); empty: the page's default."),
        _s("round", 0, "int", "Follow the money: the cascade round shown (0: the shock; absent from the link: "
           "the last round).", low=0, high=50),
    )
}


# ---- query parameters ------------------------------------------------------


#: The tournament's fixed design (not settings: a student compares runs with the same design).
TOURNAMENT = {"repetitions": 5, "fixation_trials": 2000, "replicator_starts": (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95),
              "two_player_preset": "classroom-two-player"}


def url_key(param: Param) -> str:
    """The URL key (and widget key) of a market parameter: ``punishment_pct`` for percent ones.

    Parameters
    ----------
    param : dilemma.parameters.Param
        A market-wide parameter.

    Returns
    -------
    str
        Its short key, with :data:`PCT` appended when it is shown in percent.

    Examples
    --------
    >>> from dilemma.parameters import param
    >>> url_key(param("market.punishment")), url_key(param("demand.profit_pool"))
    ('punishment_pct', 'profit_pool')
    """
    return param.key + PCT if param.percent else param.key


def query_key(path: str) -> str:
    """The short URL key of a dotted path, as the lab writes it.

    Parameters
    ----------
    path : str
        A market parameter's dotted path or a firm field as ``players.NAME.FIELD``.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If ``path`` is neither.

    Examples
    --------
    >>> query_key("market.punishment"), query_key("players.Meta.capex")
    ('punishment_pct', 'Meta.capex')
    """
    if path in _MARKET:
        return url_key(_MARKET[path])
    if path.startswith("players."):
        return path[len("players."):]
    raise KeyError(path)


def _differs(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) > _TOL * max(1.0, abs(float(a)), abs(float(b)))


def encode_query(preset: str | None, base, current, settings: Mapping[str, Any] | None = None,
                 default_preset: str = DEFAULT_PRESET) -> dict[str, str]:
    """The URL query of a lab state: only what differs from the defaults.

    Parameters
    ----------
    preset : str or None
        The preset the state starts from (None for an uploaded scenario, which
        a link cannot carry; the values are still written relative to it).
    base : Scenario
        The scenario as loaded (the slider defaults).
    current : Scenario
        The scenario with the user's changes (same firms as ``base``).
    settings : mapping
        Lab settings by key (see :data:`SETTINGS`); defaults are left out,
        unknown keys raise ``KeyError``.
    default_preset : str
        The preset a link without ``preset`` opens.

    Returns
    -------
    dict of str to str
        URL keys (see the module docstring) to their text, in the order:
        preset, market parameters, firm fields, settings.

    Examples
    --------
    >>> from dilemma.scenario import load_preset
    >>> base = load_preset("classroom-two-player")
    >>> encode_query("classroom-two-player", base, base.with_values({"demand.delay": 3.0}), {"years": 30})
    {'preset': 'classroom-two-player', 'delay': '3', 'years': '30'}
    """
    out: dict[str, str] = {}
    if preset is not None and preset != default_preset:
        out["preset"] = preset
    if base.kind == "model" and current.kind == "model":
        out.update({k: v for k, v in slider_query(base.values, current.values).items() if v is not None})
        cur_players = {pl.name: pl for pl in current.players}
        for pl in base.players:
            cur = cur_players.get(pl.name)
            if cur is None:
                continue
            for f in FIRM_FIELDS:
                if _differs(getattr(cur, f.path), getattr(pl, f.path)):
                    out[f"{pl.name}.{f.path}"] = format_number(getattr(cur, f.path))
    for key, value in (settings or {}).items():
        setting = SETTINGS[key]
        if value is None or value == setting.default:
            continue
        out[key] = setting.format(value)
    return out


def slider_query(base: Mapping[str, float] | None, values: Mapping[str, float]) -> dict[str, str | None]:
    """The URL entry of every market parameter: its text where it differs from the preset, else None.

    The lab keeps the sliders' part of the link by hand (a slider in a closed
    sidebar section is not drawn, and Streamlit removes a bound widget's
    parameter from the URL when the widget is not drawn): on every run it
    writes each entry that is text and removes each one that is None.

    Parameters
    ----------
    base : mapping of dotted path to float, or None
        The preset's values (``Scenario.values``); None for a scenario without
        model parameters (an explicit game): then every entry is None.
    values : mapping of dotted path to float
        The values in effect, model units; a parameter missing here keeps the preset's value.

    Returns
    -------
    dict of URL key to str or None
        One entry per market parameter, keyed by :func:`url_key`, in display
        units (``punishment_pct`` in percent).

    Examples
    --------
    >>> from dilemma.scenario import load_preset
    >>> base = load_preset("classroom-two-player").values
    >>> q = slider_query(base, {"market.punishment": 0.0, "finance.base_rate": 0.06, "demand.delay": base["demand.delay"]})
    >>> {k: v for k, v in q.items() if v is not None}
    {'punishment_pct': '0', 'base_rate_pct': '6'}
    >>> q["delay"] is None, len(q) == len(MARKET_PARAMS)
    (True, True)
    """
    out: dict[str, str | None] = {}
    for p in MARKET_PARAMS:
        now = values.get(p.path) if base is not None else None
        changed = now is not None and _differs(now, base[p.path])
        out[url_key(p)] = format_number(display_value(p, now)) if changed else None
    return out


def sections_to_open(updates: Mapping[str, float]) -> set[str]:
    """The sidebar sections a link's values live in (a link opens them, so its values are in view).

    Parameters
    ----------
    updates : mapping of dotted path to float
        :attr:`Decoded.updates` of the link.

    Returns
    -------
    set of str
        Section names (:data:`dilemma.parameters.SECTIONS`) of the market
        parameters in ``updates``; firm fields open none.

    Examples
    --------
    >>> sorted(sections_to_open({"finance.base_rate": 0.06, "market.punishment": 0.0, "players.Meta.capex": 80.0}))
    ['finance', 'market']
    """
    return {_MARKET[path].section for path in updates if path in _MARKET}


@dataclass(frozen=True)
class Decoded:
    """A URL query read back: what to restore and what had to be ignored.

    Attributes
    ----------
    preset : str
        The preset to start from.
    updates : dict of dotted path to float
        Parameter and firm values to set (stored units), all validated.
    settings : dict of key to value
        Lab settings found in the URL (valid ones only).
    problems : tuple of str
        One sentence per ignored key, for a warning on screen.

    Examples
    --------
    >>> from dilemma.scenario import load_preset, list_presets
    >>> d = decode_query({"punishment": "0.009", "years": "abc"}, presets=list_presets(), load=load_preset)
    >>> d.updates, d.settings
    ({'market.punishment': 0.009}, {})
    >>> print(*d.problems)
    years: must be a number, got 'abc'; using the default.
    """

    preset: str
    updates: dict[str, float] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def _kept(p: Param, stored: float) -> str:
    """The value a link could not change, as the slider shows it."""
    shown = format_number(display_value(p, stored))
    return f"{shown} %" if p.percent else shown


def _last(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def decode_query(query: Mapping[str, Any], presets: Sequence[str], load: Callable[[str], Any],
                 choices: Mapping[str, Sequence[str]] | None = None,
                 default_preset: str = DEFAULT_PRESET) -> Decoded:
    """Read a URL query back into a lab state, ignoring (and naming) bad keys.

    Parameters
    ----------
    query : mapping of str to str (or list of str; the last one counts)
    presets : sequence of str
        The valid preset names.
    load : callable
        ``load(preset) -> Scenario`` (e.g. :func:`dilemma.scenario.load_preset`).
    choices : mapping of setting key to allowed strings, optional
        Choices that depend on the app (strategy names, say).
    default_preset : str
        The preset used when the query names none (or an unknown one).

    Returns
    -------
    Decoded

    Notes
    -----
    A percent parameter is read in percent under ``<key>_pct`` and as a
    fraction under its bare key: ``punishment_pct=0.9`` and
    ``punishment=0.009`` are the same setting.

    Examples
    --------
    >>> from dilemma.scenario import load_preset, list_presets
    >>> d = decode_query({"punishment_pct": "99", "Nobody.capex": "1", "zzz": "1"},
    ...                  presets=list_presets(), load=load_preset)
    >>> d.updates
    {}
    >>> for p in d.problems: print(p)
    Market punishment for cutting (punishment_pct): must be between -0.5 and 3 (% of market value per year), got 99; kept 0.9 %.
    Nobody.capex: there is no firm 'Nobody' in this scenario (firms: Microsoft, Alphabet, Amazon, Meta, Oracle); ignored.
    zzz: not a setting of the lab; ignored.
    """
    problems: list[str] = []
    choices = dict(choices or {})
    preset = _last(query.get("preset", default_preset)) or default_preset
    if preset not in presets:
        problems.append(f"preset: there is no preset {preset!r} (presets: {', '.join(presets)}); "
                        f"showing {default_preset}.")
        preset = default_preset
    base = load(preset)
    names = list(base.player_names)
    updates: dict[str, float] = {}
    settings: dict[str, Any] = {}
    for key, raw in query.items():
        if key == "preset":
            continue
        text = _last(raw)
        if key in SETTINGS:
            try:
                settings[key] = SETTINGS[key].parse(text, choices.get(key))
            except ValueError as exc:
                problems.append(f"{key}: {exc}; using the default.")
            continue
        if key in _BY_SHORT or key in _BY_PCT:
            pct = key in _BY_PCT
            p = _BY_PCT[key] if pct else _BY_SHORT[key]
            if base.kind != "model":
                problems.append(f"{key}: this scenario is an explicit game without model parameters; ignored.")
                continue
            spec = slider_spec(p)
            kept = _kept(p, base.values[p.path])
            try:
                given = float(text)
            except ValueError:
                problems.append(f"{p.label} ({key}): must be a number, got {text!r}; kept {kept}.")
                continue
            val = stored_value(p, given) if pct else given
            if not (math.isfinite(val) and p.contains(val)):
                if pct or not p.percent:
                    unit = f" ({spec.unit})" if spec.unit else ""
                    rng = f"{spec.low:g} and {spec.high:g}{unit}"
                else:
                    rng = f"{format_number(p.low)} and {format_number(p.high)} (a fraction: {key}=0.009 is 0.9 %)"
                problems.append(f"{p.label} ({key}): must be between {rng}, got {text}; kept {kept}.")
                continue
            updates[p.path] = val
            continue
        if "." in key:
            firm, fld = key.rsplit(".", 1)
            if base.kind != "model" or firm not in names:
                problems.append(f"{key}: there is no firm {firm!r} in this scenario "
                                f"(firms: {', '.join(names)}); ignored.")
                continue
            if fld not in _FIRM:
                problems.append(f"{key}: a firm has no field {fld!r} "
                                f"(fields: {', '.join(_FIRM)}); ignored.")
                continue
            f = _FIRM[fld]
            try:
                val = float(text)
            except ValueError:
                problems.append(f"{key}: must be a number, got {text!r}; ignored.")
                continue
            if not (math.isfinite(val) and f.contains(val)):
                problems.append(f"{key}: {f.label} must be {f.allowed()} ({f.unit}), got {text}; ignored.")
                continue
            updates[f"players.{firm}.{fld}"] = val
            continue
        problems.append(f"{key}: not a setting of the lab; ignored.")
    return Decoded(preset=preset, updates=updates, settings=settings, problems=tuple(problems))


# ---- a changed scenario, for the download -------------------------------------


def changes(base, current) -> list[str]:
    """What the lab changed, one line per value, in the sliders' units.

    Parameters
    ----------
    base : dilemma.scenario.Scenario
        The scenario as loaded.
    current : dilemma.scenario.Scenario
        The scenario with the sliders' values; explicit games give no lines.

    Returns
    -------
    list of str
        Market parameters first, then firm fields.

    Examples
    --------
    >>> from dilemma.scenario import load_preset
    >>> b = load_preset("2025-baseline")
    >>> changes(b, b.with_values({"market.punishment": 0.0, "players.Meta.capex": 80.0}))
    ['Market punishment for cutting: 0.9 → 0 % of market value per year', 'Meta: Planned capex: 71 → 80 $B per year']
    """
    out: list[str] = []
    if base.kind != "model" or current.kind != "model":
        return out
    for p in MARKET_PARAMS:
        a, b = base.values[p.path], current.values[p.path]
        if _differs(a, b):
            unit = _unit_text(p)
            out.append(f"{p.label}: {format_number(display_value(p, a))} → {format_number(display_value(p, b))}"
                       + (f" {unit}" if unit else ""))
    now = {pl.name: pl for pl in current.players}
    for pl in base.players:
        cur = now.get(pl.name)
        for f in FIRM_FIELDS:
            if cur is not None and _differs(getattr(pl, f.path), getattr(cur, f.path)):
                out.append(f"{pl.name}: {f.label}: {format_number(getattr(pl, f.path))} → "
                           f"{format_number(getattr(cur, f.path))} {f.unit}")
    return out


def retitled(base, current, game_label: str):
    """``current`` with a title and description that say it was changed, and what it now is.

    A download of a preset moved by the sliders must not keep the preset's
    words ("a prisoner's dilemma") when the sliders made it another game.
    Unchanged scenarios come back as they are.

    Parameters
    ----------
    base : dilemma.scenario.Scenario
        The scenario as loaded.
    current : dilemma.scenario.Scenario
        The scenario with the sliders' values.
    game_label : str
        What the one-year game now is ("Chicken (stable mix)").

    Returns
    -------
    dilemma.scenario.Scenario

    Examples
    --------
    >>> from dilemma.scenario import load_preset
    >>> b = load_preset("classroom-two-player")
    >>> retitled(b, b, "Prisoner's dilemma") is b
    True
    >>> retitled(b, b.with_values({"demand.delay": 3.0}), "Chicken (stable mix)").title
    'Classroom: two firms (changed in the lab: Chicken (stable mix))'
    """
    from dataclasses import replace

    what = changes(base, current)
    if not what:
        return current
    desc = (f"Changed in the dilemma lab from “{base.title}”: " + "; ".join(what)
            + f". With these values the one-year game is: {game_label}.")
    return replace(current, title=f"{base.title} (changed in the lab: {game_label})", description=desc)


# ---- uploads ---------------------------------------------------------------


def read_upload(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES):
    """Validate an uploaded scenario file and return its :class:`~dilemma.scenario.Scenario`.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file's name (must end in ``.toml``; named in every error).
    max_bytes : int
        The largest file read.

    Returns
    -------
    dilemma.scenario.Scenario

    Raises
    ------
    ScenarioError
        Naming the file and the problem: not ``.toml``, too large, not UTF-8,
        not TOML, not a valid scenario, or more firms than the lab handles.

    Examples
    --------
    >>> read_upload(b"title = 'x'", "x.toml")
    Traceback (most recent call last):
    ...
    dilemma.errors.ScenarioError: x.toml: expected [[players]] (a model scenario) or [game] (an explicit game)
    """
    from dilemma.scenario import loads_scenario

    if not name.lower().endswith(".toml"):
        raise ScenarioError("expected a .toml scenario file", source=name)
    if len(data) > max_bytes:
        raise ScenarioError(f"is {len(data):,} bytes; a scenario file has at most {max_bytes:,}", source=name)
    scenario = loads_scenario(data, source=name)
    if scenario.kind == "model" and scenario.n_players > MAX_LAB_FIRMS:
        raise ScenarioError(f"has {scenario.n_players} firms; the lab handles at most {MAX_LAB_FIRMS}",
                            source=name, field="players")
    if scenario.kind == "model" and scenario.n_players < 2:
        raise ScenarioError("needs at least two firms for a game", source=name, field="players")
    return scenario
