"""Pure chart builders for repeated play, tournaments and evolution (never calls Streamlit).

As in :mod:`dilemma.charts`, every chart comes in two steps: a ``*_frame``
function turns a result of the package (a
:class:`~dilemma.repeated.engine.PlayResult`, a
:class:`~dilemma.repeated.state.StateResult`, a
:class:`~dilemma.repeated.montecarlo.MonteCarloResult`, a
:class:`~dilemma.repeated.tournament.TournamentResult`, a table of
:mod:`dilemma.evolution`) into a tidy :class:`pandas.DataFrame`, and a
``*_chart(frame, ...) -> altair.Chart`` function draws it. An empty frame
gives a :func:`~dilemma.charts.message_chart` that says why, never an empty
chart.

Years are numbered from 1 ("year 1" is the first year of play). Money is in
$B of shareholder value; Spend is orange and Cut teal, as everywhere.

Examples
--------
>>> from dilemma import load_preset, build_game
>>> from dilemma.repeated import play
>>> r = play(build_game(load_preset("classroom-two-player")), ["tit-for-tat", "always-spend"], rounds=4)
>>> f = play_frame(r)
>>> f[f.player == "Alpha"].action.tolist()
['Cut', 'Spend', 'Spend', 'Spend']
>>> spec = action_raster_chart(f).to_dict()
"""

from __future__ import annotations

import math
from typing import Sequence

import altair as alt
import numpy as np
import pandas as pd

from dilemma.format import money

from . import ACTION_COLORS, message_chart

__all__ = [
    "RATING_COLORS",
    "BAND_LABELS",
    "strategy_label",
    "play_frame",
    "burst_frame",
    "action_raster_chart",
    "cumulative_chart",
    "balance_sheet_frame",
    "balance_sheet_chart",
    "rating_chart",
    "mc_band_frame",
    "play_band_frame",
    "band_chart",
    "burst_share_frame",
    "burst_share_chart",
    "horizon_frame",
    "discount_chart",
    "pairwise_long_frame",
    "pairwise_chart",
    "score_chart",
    "replicator_chart",
    "fixation_frame",
    "fixation_chart",
    "ecology_chart",
]

#: Colours for strategies: no orange or teal, which mean Spend and Cut on every chart.
STRATEGY_PALETTE = ["#4c78a8", "#9467bd", "#e377c2", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf",
                    "#000000", "#f2cf5b", "#843c39", "#aec7e8", "#c49c94", "#393b79", "#b5cf6b"]

_FONT = 13
#: Rating tiers from safe to junk (green to red).
RATING_COLORS = {"AA": "#1a9850", "A": "#91cf60", "BBB": "#fee08b", "BB": "#d73027"}
#: Legend entries of the Monte Carlo bands, widest first.
BAND_LABELS = ("90 % of runs (5th–95th percentile)", "Middle half of runs (25th–75th)", "Median run")
_BURST_COLOR = "#b2182b"


#: Legend entry, colour and shape (an "×", as an SVG path) of a mistake on the who-spent grid.
MISTAKE_LABEL = "a mistake (the firm meant the other move)"
MISTAKE_COLOR = "#111111"
MISTAKE_SHAPE = "M-1,-1L1,1M-1,1L1,-1"


def strategy_label(name: str) -> str:
    """The human name of a strategy (``"tit-for-tat"`` -> ``"Tit For Tat"``); unknown names unchanged.

    Parameters
    ----------
    name : str
        A registry name, optionally with parameters after a colon.

    Returns
    -------
    str

    Examples
    --------
    >>> strategy_label("tit-for-tat"), strategy_label("random:p=0.2"), strategy_label("my-own")
    ('Tit For Tat', 'Random (p=0.2)', 'my-own')
    """
    from dilemma.repeated.strategies import STRATEGIES

    base, _, rest = str(name).partition(":")
    cls = STRATEGIES.get(base.strip())
    if cls is None:
        return str(name)
    return cls.label + (f" ({rest})" if rest else "")


def _legend(orient: str = "top", columns: int | None = None) -> alt.Legend:
    """A legend; ``columns`` wraps a long one, so a phone-wide chart is not pushed wider by it."""
    extra = {"columns": columns} if columns else {}
    return alt.Legend(orient=orient, labelFontSize=_FONT, titleFontSize=_FONT, labelLimit=360, **extra)


# ---- one run: actions, value, balance sheets ---------------------------------


def _is_state(result) -> bool:
    return hasattr(result, "world") and hasattr(result, "arrays")


def play_frame(result, run: int = 0, upto: int | None = None) -> pd.DataFrame:
    """One run of repeated play, one row per year and firm.

    Parameters
    ----------
    result : PlayResult or StateResult
        Stateless (:func:`dilemma.repeated.play`) or state-carrying
        (:func:`dilemma.repeated.simulate_state`) play.
    run : int
        Which run to show.
    upto : int, optional
        Keep only years ``1 .. upto`` (presenter mode reveals a year per click).

    Returns
    -------
    pandas.DataFrame
        ``year`` (from 1), ``player``, ``strategy`` (human label), ``action``,
        ``role`` (``Spend`` or ``Cut``: the part the action plays, for games
        whose actions have other names), ``payoff`` and ``cumulative`` ($B),
        ``flipped`` (True: a mistake, noise flipped the firm's intended
        move); for state results also ``cash``,
        ``debt``, ``leases``, ``net_leverage``, ``rating``, ``market_value``
        and ``burst`` (the bubble has burst by the end of that year).

    Examples
    --------
    Tit-for-tat against always-spend in the prisoner's dilemma: tit-for-tat
    cuts first (0 against 5), then both spend (1 each).

    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import play
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> run = play(pd_game, ["tit-for-tat", "always-spend"], rounds=3)
    >>> f = play_frame(run)
    >>> f[f["player"] == "Alpha"][["year", "action", "payoff", "cumulative"]].values.tolist()
    [[1, 'Cut', 0.0, 0.0], [2, 'Spend', 1.0, 1.0], [3, 'Spend', 1.0, 2.0]]
    >>> f[f["player"] == "Beta"]["cumulative"].tolist()
    [5.0, 6.0, 7.0]
    >>> len(play_frame(run, upto=2))
    4
    """
    if _is_state(result):
        spend = np.asarray(result.arrays["spend"][run])             # (years, n)
        years, n = spend.shape
        actions = np.where(spend, "Spend", "Cut")
        roles = actions
        payoff = np.asarray(result.arrays["payoff"][run], dtype=float)
        flipped = result.arrays.get("flipped")
    else:
        acts = np.asarray(result.actions[run])
        years, n = acts.shape
        labels = result.action_labels or [("Spend", "Cut")] * n
        lab = np.array(labels, dtype=object)
        actions = lab[np.arange(n)[None, :], acts]
        roles = np.where(acts == 0, "Spend", "Cut")
        payoff = np.asarray(result.payoffs[run], dtype=float)
        flipped = getattr(result, "flipped", None)
    flipped = (np.zeros((years, n), dtype=bool) if flipped is None
               else np.asarray(flipped[run], dtype=bool))
    t, p = np.meshgrid(np.arange(years), np.arange(n), indexing="ij")
    data = {
        "year": t.ravel() + 1,
        "player": np.array(result.players, dtype=object)[p.ravel()],
        "strategy": np.array([strategy_label(s) for s in result.strategies], dtype=object)[p.ravel()],
        "action": np.asarray(actions, dtype=object).ravel(),
        "role": np.asarray(roles, dtype=object).ravel(),
        "payoff": payoff.ravel(),
        "cumulative": np.cumsum(payoff, axis=0).ravel(),
        "flipped": flipped.ravel(),
    }
    if _is_state(result):
        from dilemma.repeated.state import RATINGS

        for k in ("cash", "debt", "leases", "net_leverage", "market_value"):
            data[k] = np.asarray(result.arrays[k][run], dtype=float).ravel()
        data["rating"] = np.array(RATINGS, dtype=object)[np.asarray(result.arrays["rating"][run]).ravel()]
        data["burst"] = np.repeat(np.asarray(result.world["burst"][run], dtype=bool), n)
    frame = pd.DataFrame(data)
    if upto is not None:
        frame = frame[frame["year"] <= int(upto)].reset_index(drop=True)
    return frame


def burst_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The year the bubble burst in a :func:`play_frame` of a state run (empty if it did not).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`play_frame` table (of a state run; a stateless one has no bursts).

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``label``; one row at most.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"year": [1, 1, 2, 2], "burst": [False, False, True, True]})
    >>> burst_frame(frame).values.tolist()
    [[2, 'Bubble bursts (year 2)']]
    >>> len(burst_frame(frame.assign(burst=False)))
    0
    """
    if "burst" not in frame or not frame["burst"].any():
        return pd.DataFrame({"year": pd.Series([], dtype=int), "label": pd.Series([], dtype=object)})
    year = int(frame.loc[frame["burst"], "year"].min())
    return pd.DataFrame({"year": [year], "label": [f"Bubble bursts (year {year})"]})


def _burst_rules(bursts: pd.DataFrame | None, x_field: str = "year", band: bool = False):
    """Layers marking the burst year: a dashed red rule and its label."""
    if bursts is None or bursts.empty:
        return []
    rule = alt.Chart(bursts).mark_rule(color=_BURST_COLOR, strokeWidth=2.5, strokeDash=[6, 3]).encode(
        x=alt.X(f"{x_field}:{'O' if band else 'Q'}"),
        tooltip=[alt.Tooltip("label:N", title="Event")])
    text = alt.Chart(bursts).mark_text(align="left", baseline="top", dx=4, dy=2, color=_BURST_COLOR,
                                       fontSize=_FONT, fontWeight="bold").encode(
        x=alt.X(f"{x_field}:{'O' if band else 'Q'}"), y=alt.value(2), text="label:N")
    return [rule, text]


def _year_axis(years: int) -> alt.Axis:
    return alt.Axis(tickMinStep=1, format="d", labelFontSize=_FONT, titleFontSize=_FONT)


def _years_shown(frame: pd.DataFrame, total_years: int | None) -> int:
    """The last year on the axis: ``total_years`` if given (presenter mode keeps the axis fixed)."""
    last = int(frame["year"].max()) if len(frame) else 1
    return max(2, last, int(total_years or 0))


def action_raster_chart(frame: pd.DataFrame, bursts: pd.DataFrame | None = None,
                        total_years: int | None = None) -> alt.Chart:
    """Who spent and who cut, year by year: one coloured square per firm and year.

    Orange: Spend, teal: Cut. A forced cut (the firm started the year rated
    BB) is marked "BB"; a mistake (``flipped``: noise turned the intended
    move into the other one) is marked with a black "×" and a legend entry
    :data:`MISTAKE_LABEL`. A red dashed line marks the year the bubble
    burst (state runs). With ``total_years`` the axis shows every year of the
    game, so revealing one year at a time fills the chart from the left.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`play_frame` table.
    bursts : pandas.DataFrame, optional
        A :func:`burst_frame` table.
    total_years : int, optional
        The last year on the axis (default: the last year in ``frame``).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import play
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> run = play(pd_game, ["tit-for-tat", "always-spend"], rounds=3)
    >>> spec = action_raster_chart(play_frame(run)).to_dict()
    >>> spec["layer"][0]["mark"]["type"], spec["layer"][0]["encoding"]["color"]["scale"]
    ('rect', {'domain': ['Spend', 'Cut'], 'range': ['#d95f02', '#1b9e77']})
    """
    if frame.empty:
        return message_chart("No years played yet: press “Next year”.")
    # the legend names the game's own actions, coloured by the part they play (Spend orange, Cut teal)
    roles = frame["role"] if "role" in frame else frame["action"]
    pairs = dict(zip(frame["action"], roles))
    actions = sorted(pairs, key=lambda a: (pairs[a] != "Spend", a))
    if set(actions) <= {"Spend", "Cut"}:
        actions = ["Spend", "Cut"]
    color_scale = alt.Scale(domain=actions, range=[ACTION_COLORS.get(pairs.get(a, a), "#999") for a in actions])
    players = list(dict.fromkeys(frame["player"]))
    years = _years_shown(frame, total_years)
    f = frame.assign(who=[f"{p} ({s})" for p, s in zip(frame["player"], frame["strategy"])])
    who = list(dict.fromkeys(f["who"]))
    base = alt.Chart(f).encode(
        x=alt.X("year:O", title="Year", scale=alt.Scale(domain=list(range(1, years + 1))),
                axis=alt.Axis(labelAngle=0, labelFontSize=_FONT, titleFontSize=_FONT)),
        y=alt.Y("who:N", sort=who, title=None, axis=alt.Axis(labelFontSize=_FONT, labelLimit=320)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        color=alt.Color("action:N", scale=color_scale, title="Action", legend=_legend()),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("strategy:N", title="Strategy"),
                 alt.Tooltip("year:O", title="Year"), alt.Tooltip("action:N", title="Played"),
                 alt.Tooltip("payoff:Q", title="Payoff ($B)", format=",.1f")],
    )
    layers = [cells]
    from dilemma.verdicts import forced_cuts

    forced = f[forced_cuts(f).to_numpy()]
    if len(forced):  # a forced cut is not a choice: marked "BB" (the rating that forced it)
        layers.append(alt.Chart(forced.assign(mark="BB")).mark_text(
            fontSize=_FONT - 3, fontWeight="bold", color="white").encode(
            x=alt.X("year:O"), y=alt.Y("who:N", sort=who), text="mark:N",
            tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("year:O", title="Year"),
                     alt.Tooltip("mark:N", title="Forced to cut: rated")]))
    mistakes = f[f["flipped"].astype(bool).to_numpy()] if "flipped" in f else f.iloc[:0]
    if len(mistakes):  # a mistake is not a choice either: an "×" over the square, with its own legend entry
        layers.append(alt.Chart(mistakes.assign(mark=MISTAKE_LABEL)).mark_point(
            filled=False, size=140, strokeWidth=2.2, color=MISTAKE_COLOR, opacity=1).encode(
            x=alt.X("year:O"), y=alt.Y("who:N", sort=who),
            # below the grid: beside the colour legend its long label ran off a phone's screen
            shape=alt.Shape("mark:N", title=None, legend=alt.Legend(
                orient="bottom", labelFontSize=_FONT, labelLimit=360,
                labelExpr="['a mistake', '(the firm meant the other move)']"),   # two lines: fits a phone
                            scale=alt.Scale(domain=[MISTAKE_LABEL], range=[MISTAKE_SHAPE])),
            tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("year:O", title="Year"),
                     alt.Tooltip("action:N", title="Played (by mistake)")]))
    if bursts is not None and not bursts.empty:
        layers += _burst_rules(bursts, band=True)
    chart = alt.layer(*layers).properties(height=120 + 34 * len(players))
    return chart.resolve_legend(color="independent", shape="independent") if len(mistakes) else chart


def cumulative_chart(frame: pd.DataFrame, bursts: pd.DataFrame | None = None,
                     total_years: int | None = None) -> alt.Chart:
    """Each firm's value added so far: the running sum of its yearly payoffs ($B), one line per firm.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`play_frame` table (its ``cumulative`` column is drawn).
    bursts : pandas.DataFrame, optional
        A :func:`burst_frame` table: a dashed rule at the burst year.
    total_years : int, optional
        The last year on the axis.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import play
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> run = play(pd_game, ["tit-for-tat", "always-spend"], rounds=3)
    >>> spec = cumulative_chart(play_frame(run)).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rule', 'line', 'point']
    """
    if frame.empty:
        return message_chart("No years played yet: press “Next year”.")
    players = list(dict.fromkeys(frame["player"]))
    years = _years_shown(frame, total_years)
    base = alt.Chart(frame).encode(
        x=alt.X("year:Q", title="Year", axis=_year_axis(years), scale=alt.Scale(domain=[1, years])),
        y=alt.Y("cumulative:Q", title="Value added so far ($B)", axis=alt.Axis(format=",~f")),
        color=alt.Color("player:N", sort=players, title="Firm", legend=_legend(columns=3)),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("action:N", title="Played"),
                 alt.Tooltip("payoff:Q", title="This year ($B)", format=",.1f"),
                 alt.Tooltip("cumulative:Q", title="So far ($B)", format=",.1f")],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#888").encode(y="y:Q")
    layers = [zero, base.mark_line(strokeWidth=2.5), base.mark_point(filled=True, size=40)]
    layers += _burst_rules(bursts)
    return alt.layer(*layers).properties(height=300)


_BALANCE = {"cash": "Cash", "debt": "Debt", "leases": "Leases and SPVs"}
_BALANCE_COLORS = {"Cash": "#2c7bb6", "Debt": "#7b3294", "Leases and SPVs": "#c2a5cf"}


def balance_sheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table of cash, debt and leases per firm and year from a state :func:`play_frame`.

    Columns ``year, player, item, amount`` ($B) plus ``rating`` and ``net_leverage``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`play_frame` table of a state run; a stateless one gives an empty table.

    Returns
    -------
    pandas.DataFrame
        Three rows (Cash, Debt, Leases and SPVs) per firm and year.

    Examples
    --------
    >>> from dilemma import load_preset
    >>> from dilemma.repeated import simulate_state
    >>> state = play_frame(simulate_state(load_preset("classroom-two-player"), "always-spend", years=3, seed=0))
    >>> long = balance_sheet_frame(state)
    >>> len(long), sorted(set(long["item"]))
    (18, ['Cash', 'Debt', 'Leases and SPVs'])
    """
    if "cash" not in frame:
        return pd.DataFrame(columns=["year", "player", "item", "amount", "rating", "net_leverage"])
    long = frame.melt(id_vars=["year", "player", "rating", "net_leverage"], value_vars=list(_BALANCE),
                      var_name="item", value_name="amount")
    long["item"] = long["item"].map(_BALANCE)
    return long


def balance_sheet_chart(long: pd.DataFrame, bursts: pd.DataFrame | None = None, columns: int | None = 3,
                        total_years: int | None = None) -> alt.Chart:
    """Cash, debt and lease obligations of each firm, year by year (one panel per firm, $B).

    ``columns=None`` draws one firm's rows (pass them alone) without a facet and
    without a fixed width, for the lab's responsive columns.

    Parameters
    ----------
    long : pandas.DataFrame
        A :func:`balance_sheet_frame` table.
    bursts : pandas.DataFrame, optional
        A :func:`burst_frame` table.
    columns : int or None
        Facet panels per row, or None for one firm without a facet.
    total_years : int, optional
        The last year on the axis.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> from dilemma import load_preset
    >>> from dilemma.repeated import simulate_state
    >>> state = play_frame(simulate_state(load_preset("classroom-two-player"), "always-spend", years=3, seed=0))
    >>> spec = balance_sheet_chart(balance_sheet_frame(state)).to_dict()
    >>> spec["facet"]["field"], spec["columns"]
    ('player', 3)
    """
    if long.empty:
        return message_chart("Balance sheets exist only in the multi-year model.")
    players = list(dict.fromkeys(long["player"]))
    items = list(_BALANCE.values())
    years = _years_shown(long, total_years)
    base = alt.Chart().encode(
        x=alt.X("year:Q", title="Year", axis=_year_axis(years), scale=alt.Scale(domain=[1, years])),
        y=alt.Y("amount:Q", title="$B", axis=alt.Axis(format=",~f")),
        color=alt.Color("item:N", scale=alt.Scale(domain=items, range=[_BALANCE_COLORS[i] for i in items]),
                        title=None, legend=_legend()),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("item:N", title="Item"), alt.Tooltip("amount:Q", title="$B", format=",.1f"),
                 alt.Tooltip("rating:N", title="Rating"),
                 alt.Tooltip("net_leverage:Q", title="Net leverage (× EBITDA)", format=".2f")],
    )
    layers = [base.mark_line(strokeWidth=2.2), base.mark_point(size=18, filled=True)]
    if bursts is not None and not bursts.empty:
        # a faceted chart has one data source: the burst year rides along as a column
        long = long.assign(burst_year=int(bursts["year"].iloc[0]))
        layers.append(alt.Chart().mark_rule(color=_BURST_COLOR, strokeDash=[6, 3], strokeWidth=2).encode(
            x="burst_year:Q", tooltip=[alt.Tooltip("burst_year:Q", title="Bubble bursts in year")]))
    if columns is None:  # one firm, no facet: the lab lays firms out in responsive columns
        return alt.layer(*layers, data=long).properties(
            height=170, title=alt.TitleParams(players[0] if len(players) == 1 else "", fontSize=_FONT + 1))
    chart = alt.layer(*layers, data=long).properties(width=200, height=170)
    return chart.facet(
        facet=alt.Facet("player:N", sort=players, title=None,
                        header=alt.Header(labelFontSize=_FONT + 1, labelFontWeight="bold")),
        columns=columns,
    ).resolve_scale(y="independent")


def rating_chart(frame: pd.DataFrame, bursts: pd.DataFrame | None = None,
                 total_years: int | None = None) -> alt.Chart:
    """Each firm's credit rating at the end of each year (AA green .. BB red; BB firms must cut).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`play_frame` table of a state run (it has a ``rating`` column);
        otherwise the chart says there is nothing to draw.
    bursts : pandas.DataFrame, optional
        A :func:`burst_frame` table.
    total_years : int, optional
        The last year on the axis.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> from dilemma import load_preset
    >>> from dilemma.repeated import simulate_state
    >>> state = play_frame(simulate_state(load_preset("classroom-two-player"), "always-spend", years=3, seed=0))
    >>> spec = rating_chart(state).to_dict()
    >>> spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    ['#1a9850', '#91cf60', '#fee08b', '#d73027']
    """
    if "rating" not in frame:
        return message_chart("Ratings exist only in the multi-year model.")
    if frame.empty:
        return message_chart("No years played yet: press “Next year”.")
    from dilemma.repeated.state import RATINGS

    players = list(dict.fromkeys(frame["player"]))
    years = _years_shown(frame, total_years)
    base = alt.Chart(frame).encode(
        x=alt.X("year:O", title="Year", scale=alt.Scale(domain=list(range(1, years + 1))),
                axis=alt.Axis(labelAngle=0, labelFontSize=_FONT, titleFontSize=_FONT)),
        y=alt.Y("player:N", sort=players, title=None, axis=alt.Axis(labelFontSize=_FONT)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        color=alt.Color("rating:N", scale=alt.Scale(domain=list(RATINGS), range=[RATING_COLORS[r] for r in RATINGS]),
                        title="Credit rating", legend=_legend()),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("rating:N", title="Rating"),
                 alt.Tooltip("net_leverage:Q", title="Net leverage (× EBITDA)", format=".2f")],
    )
    layers = [cells]
    if years <= 30:
        layers.append(base.mark_text(fontSize=_FONT - 2, color="#222").encode(text="rating:N"))
    if bursts is not None and not bursts.empty:
        layers += _burst_rules(bursts, band=True)
    return alt.layer(*layers).properties(height=120 + 30 * len(players))


# ---- many runs: percentile bands -------------------------------------------------


def _bands_from(q: np.ndarray, mean: np.ndarray, players, percentiles) -> pd.DataFrame:
    """Tidy bands from ``q`` (len(percentiles), years, n) and ``mean`` (years, n)."""
    pcs = [float(p) for p in percentiles]
    need = (5.0, 25.0, 50.0, 75.0, 95.0)
    if any(p not in pcs for p in need):
        raise ValueError(f"bands need the percentiles {need}, got {tuple(pcs)}")
    years, n = mean.shape
    t, p = np.meshgrid(np.arange(years), np.arange(n), indexing="ij")
    data = {"year": t.ravel() + 1, "player": np.array(players, dtype=object)[p.ravel()],
            "mean": np.asarray(mean, dtype=float).ravel()}
    for pc in need:
        data[f"p{pc:g}"] = np.asarray(q[pcs.index(pc)], dtype=float).ravel()
    return pd.DataFrame(data)


def mc_band_frame(mc, variable: str, upto: int | None = None) -> pd.DataFrame:
    """Percentile bands of one variable of a Monte Carlo of the multi-year model.

    ``mc`` is a :class:`~dilemma.repeated.montecarlo.MonteCarloResult`;
    ``variable`` one of its ``bands`` (``payoff``, ``cash``, ``net_leverage``,
    ``market_value`` ...). Columns ``year, player, mean, p5, p25, p50, p75, p95``.

    Parameters
    ----------
    mc : dilemma.repeated.montecarlo.MonteCarloResult
        With the 5th, 25th, 50th, 75th and 95th percentiles among its ``percentiles``.
    variable : str
        One of ``mc.bands``.
    upto : int, optional
        Keep only years ``1 .. upto``.

    Returns
    -------
    pandas.DataFrame
        One row per year and firm.

    Raises
    ------
    KeyError
        If ``variable`` is not one of ``mc.bands``.

    Examples
    --------
    >>> from dilemma import load_preset
    >>> from dilemma.repeated import monte_carlo
    >>> mc = monte_carlo(load_preset("classroom-two-player"), "always-spend", years=3, runs=50, seed=0)
    >>> bands = mc_band_frame(mc, "cash")
    >>> len(bands), bool((bands["p5"] <= bands["p50"]).all() and (bands["p50"] <= bands["p95"]).all())
    (6, True)
    """
    if variable not in mc.bands:
        raise ValueError(f"no bands of {variable!r}; available: {', '.join(mc.bands)}")
    frame = _bands_from(mc.bands[variable], mc.means[variable], mc.players, mc.percentiles)
    if upto is not None:
        frame = frame[frame["year"] <= int(upto)].reset_index(drop=True)
    return frame


def play_band_frame(result, cumulative: bool = True, upto: int | None = None) -> pd.DataFrame:
    """Percentile bands over the runs of a stateless :class:`~dilemma.repeated.engine.PlayResult`.

    With ``cumulative`` the bands are of the value added so far (running sum
    of payoffs; a percentile of sums, not a sum of percentiles), else of the
    yearly payoff. Same columns as :func:`mc_band_frame`.

    Parameters
    ----------
    result : dilemma.repeated.engine.PlayResult
        Play with several runs (``runs=K``).
    cumulative : bool
        Bands of the running sum (True) or of each year's payoff.
    upto : int, optional
        Keep only years ``1 .. upto``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    Against always-spend, tit-for-tat earns 0 in year 1 and 1 a year after
    that in every run, so its bands collapse onto 0, 1, 2:

    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import play
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> run = play(pd_game, ["tit-for-tat", "always-spend"], rounds=3, runs=5)
    >>> bands = play_band_frame(run)
    >>> bands[bands["player"] == "Alpha"][["p5", "p95"]].values.tolist()
    [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    """
    pay = np.asarray(result.payoffs, dtype=float)                 # (runs, years, n)
    if cumulative:
        pay = np.cumsum(pay, axis=1)
    pcs = (5, 25, 50, 75, 95)
    q = np.percentile(pay, pcs, axis=0)
    frame = _bands_from(q, pay.mean(axis=0), result.players, pcs)
    if upto is not None:
        frame = frame[frame["year"] <= int(upto)].reset_index(drop=True)
    return frame


def band_chart(frame: pd.DataFrame, y_title: str, columns: int | None = 3) -> alt.Chart:
    """Fan chart per firm: where 90 % and 50 % of the runs lie each year, and the median run.

    ``columns=None``: one firm's rows, no facet, no fixed width (see :func:`balance_sheet_chart`).

    Light area: 5th–95th percentile of the runs; darker area: 25th–75th;
    line: the median. A wide fan means luck matters a lot.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`mc_band_frame` or :func:`play_band_frame` table.
    y_title : str
        Title of the vertical axis.
    columns : int or None
        Facet panels per row, or None for one firm without a facet.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> from dilemma import load_preset
    >>> from dilemma.repeated import monte_carlo
    >>> mc = monte_carlo(load_preset("classroom-two-player"), "always-spend", years=3, runs=50, seed=0)
    >>> spec = band_chart(mc_band_frame(mc, "cash"), "Cash ($B)").to_dict()
    >>> [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    ['area', 'area', 'line']
    """
    if frame.empty:
        return message_chart("No years to show yet.")
    cols = ["p5", "p25", "p50", "p75", "p95"]
    if not np.isfinite(frame[cols].to_numpy(dtype=float)).all():
        return message_chart("Some runs gave no number here (division by zero EBITDA?); nothing drawn.")
    players = list(dict.fromkeys(frame["player"]))
    wide, mid, med = BAND_LABELS
    f = frame.assign(wide=wide, mid=mid, med=med)
    scale = alt.Scale(domain=list(BAND_LABELS), range=["#9ecae1", "#4292c6", "#08306b"])
    years = int(frame["year"].max())
    x = alt.X("year:Q", title="Year", axis=_year_axis(years), scale=alt.Scale(domain=[1, max(2, years)]))
    tip = [alt.Tooltip("player:N", title="Firm"), alt.Tooltip("year:Q", title="Year"),
           alt.Tooltip("p5:Q", title="5th percentile", format=",.2f"),
           alt.Tooltip("p50:Q", title="Median", format=",.2f"),
           alt.Tooltip("p95:Q", title="95th percentile", format=",.2f"),
           alt.Tooltip("mean:Q", title="Mean", format=",.2f")]
    outer = alt.Chart().mark_area(opacity=0.45).encode(
        x=x, y=alt.Y("p5:Q", title=y_title, axis=alt.Axis(format=",~f")), y2="p95:Q",
        color=alt.Color("wide:N", scale=scale, title=None, legend=_legend(columns=1)), tooltip=tip)
    inner = alt.Chart().mark_area(opacity=0.7).encode(x=x, y="p25:Q", y2="p75:Q", color=alt.Color("mid:N", scale=scale),
                                                      tooltip=tip)
    line = alt.Chart().mark_line(strokeWidth=2.2).encode(x=x, y="p50:Q", color=alt.Color("med:N", scale=scale),
                                                         tooltip=tip)
    if columns is None:  # one firm, no facet (see balance_sheet_chart)
        return alt.layer(outer, inner, line, data=f).properties(
            height=170, title=alt.TitleParams(players[0] if len(players) == 1 else "", fontSize=_FONT + 1))
    chart = alt.layer(outer, inner, line, data=f).properties(width=200, height=170)
    return chart.facet(
        facet=alt.Facet("player:N", sort=players, title=None,
                        header=alt.Header(labelFontSize=_FONT + 1, labelFontWeight="bold")),
        columns=columns,
    ).resolve_scale(y="independent")


def burst_share_frame(mc, upto: int | None = None) -> pd.DataFrame:
    """Per year: the share of Monte Carlo runs in which the bubble has burst (``year, share``).

    Parameters
    ----------
    mc : dilemma.repeated.montecarlo.MonteCarloResult
    upto : int, optional
        Keep only years ``1 .. upto``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    Once burst, the bubble stays burst, so the share never falls:

    >>> from dilemma import load_preset
    >>> from dilemma.repeated import monte_carlo
    >>> mc = monte_carlo(load_preset("classroom-two-player"), "always-spend", years=3, runs=50, seed=0)
    >>> share = burst_share_frame(mc)["share"]
    >>> len(share), bool(share.is_monotonic_increasing)
    (3, True)
    """
    share = np.asarray(mc.burst_share, dtype=float)
    frame = pd.DataFrame({"year": np.arange(1, len(share) + 1), "share": share})
    if upto is not None:
        frame = frame[frame["year"] <= int(upto)].reset_index(drop=True)
    return frame


def burst_share_chart(frame: pd.DataFrame) -> alt.Chart:
    """How likely the bubble has burst by each year: the share of runs (0–100 %).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`burst_share_frame` table.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> import pandas as pd
    >>> spec = burst_share_chart(pd.DataFrame({"year": [1, 2, 3], "share": [0.0, 0.1, 0.25]})).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]], spec["layer"][0]["encoding"]["y"]["axis"]["format"]
    (['area', 'point'], '%')
    """
    if frame.empty:
        return message_chart("No years to show yet.")
    years = int(frame["year"].max())
    base = alt.Chart(frame).encode(
        x=alt.X("year:Q", title="Year", axis=_year_axis(years), scale=alt.Scale(domain=[1, max(2, years)])),
        y=alt.Y("share:Q", title="Share of runs burst", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("share:Q", title="Burst by then", format=".0%")],
    )
    return (base.mark_area(color=_BURST_COLOR, opacity=0.25, line={"color": _BURST_COLOR})
            + base.mark_point(color=_BURST_COLOR, filled=True, size=30)).properties(height=280)


# ---- the discount factor against the critical one ---------------------------------


def horizon_frame(rate: float, h_max: float = 100.0, points: int = 200) -> pd.DataFrame:
    """δ = exp(−(r + 1/H)) for management horizons H from 0.5 to ``h_max`` years (``horizon, delta``).

    Parameters
    ----------
    rate : float
        Discount rate r per year (a fraction: 0.09 is 9 %).
    h_max : float
        The longest horizon, in years.
    points : int
        Horizons on a log scale, plus the round ones 1, 2, 5, 10, 20 and 50.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    With r = 9 %, a one-year horizon gives exp(−1.09) = 0.336 and a ten-year
    one exp(−0.19) = 0.827:

    >>> f = horizon_frame(0.09, h_max=10, points=5).set_index("horizon")["delta"]
    >>> print(f"{f[1.0]:.3f} {f[10.0]:.3f}")
    0.336 0.827
    """
    from dilemma.equilibria.grim import horizon_to_delta

    hs = np.unique(np.concatenate([np.geomspace(0.5, max(1.0, float(h_max)), int(points)), [1, 2, 5, 10, 20, 50]]))
    hs = hs[hs <= max(1.0, float(h_max))]
    return pd.DataFrame({"horizon": hs, "delta": [horizon_to_delta(h, rate) for h in hs]})


def discount_chart(frame: pd.DataFrame, threshold: float | None, horizon: float, delta: float) -> alt.Chart:
    """The discount factor a management horizon gives, against the one restraint needs.

    Curve: δ for each horizon H (log scale). Dashed line: the grim-trigger
    threshold δ* (restraint can hold above it). Dot: the current horizon.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`horizon_frame` table.
    threshold : float or None
        The critical discount factor δ*; no line when it is None, infinite or above 1.
    horizon, delta : float
        The current management horizon (years) and its discount factor.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> spec = discount_chart(horizon_frame(0.09), threshold=0.5, horizon=10.0, delta=0.827).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['line', 'rule', 'text', 'point', 'text']
    """
    if frame.empty:
        return message_chart("No horizons to draw.")
    base = alt.Chart(frame).mark_line(strokeWidth=2.5, color="#333").encode(
        x=alt.X("horizon:Q", title="Management horizon H (years, log scale)",
                scale=alt.Scale(type="log", domain=[0.5, float(frame["horizon"].max())], nice=False)),
        y=alt.Y("delta:Q", title="Discount factor δ", scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("horizon:Q", title="Horizon (years)", format=".1f"),
                 alt.Tooltip("delta:Q", title="δ", format=".3f")],
    )
    layers = [base]
    if threshold is not None and math.isfinite(threshold) and threshold <= 1:
        th = pd.DataFrame({"delta": [float(threshold)], "label": [f"Restraint needs δ ≥ {threshold:.2f}"]})
        layers.append(alt.Chart(th).mark_rule(color=ACTION_COLORS["Cut"], strokeDash=[6, 4], strokeWidth=2.5)
                      .encode(y="delta:Q"))
        layers.append(alt.Chart(th).mark_text(align="left", baseline="bottom", dx=4, dy=-3,
                                              color=ACTION_COLORS["Cut"], fontSize=_FONT, fontWeight="bold")
                      .encode(y="delta:Q", x=alt.value(4), text="label:N"))
    now = pd.DataFrame({"horizon": [float(horizon)], "delta": [float(delta)],
                        "label": [f"Now: H = {horizon:g} years, δ = {delta:.2f}"]})
    layers.append(alt.Chart(now).mark_point(filled=True, size=160, color=ACTION_COLORS["Spend"]).encode(
        x="horizon:Q", y="delta:Q", tooltip=[alt.Tooltip("label:N", title="Current")]))
    layers.append(alt.Chart(now).mark_text(align="left", dx=9, dy=12, fontSize=_FONT,
                                           color=ACTION_COLORS["Spend"]).encode(
        x="horizon:Q", y="delta:Q", text="label:N"))
    return alt.layer(*layers).properties(height=260)


# ---- tournament ------------------------------------------------------------------


def pairwise_long_frame(tournament) -> pd.DataFrame:
    """Long table of a tournament's pairwise scores: ``strategy, opponent, payoff, label``.

    ``payoff`` is the row strategy's mean payoff per round against the
    opponent (NaN on the diagonal without self-play; such rows are dropped).

    Parameters
    ----------
    tournament : dilemma.repeated.tournament.TournamentResult

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    Three rounds of the prisoner's dilemma: tit-for-tat earns 0 + 1 + 1
    against always-spend, 2/3 a round.

    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import round_robin
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> t = round_robin(pd_game, ["tit-for-tat", "always-spend", "always-cut"], rounds=3)
    >>> long = pairwise_long_frame(t)
    >>> long[long["strategy"] == "Tit For Tat"][["opponent", "label"]].values.tolist()
    [['Always Spend', '0.67'], ['Always Cut', '3.0']]
    """
    labels = [strategy_label(s) for s in tournament.strategies]
    A = np.asarray(tournament.pairwise, dtype=float)
    rows = []
    for i, a in enumerate(labels):
        for j, b in enumerate(labels):
            if np.isfinite(A[i, j]):
                rows.append({"strategy": a, "opponent": b, "payoff": float(A[i, j]),
                             "label": money(A[i, j], unit=False)})
    return pd.DataFrame(rows, columns=["strategy", "opponent", "payoff", "label"])


def pairwise_chart(frame: pd.DataFrame, order: Sequence[str] | None = None, width=None) -> alt.Chart:
    """Heatmap: what the row strategy earns per round, on average, against the column strategy.

    Dark purple: high payoff, light: low (a neutral scale, since orange and
    teal mean Spend and Cut). ``order`` sorts both axes (e.g. the ranking).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`pairwise_long_frame` table.
    order : sequence of str, optional
        Strategy labels in axis order.
    width : int or "container", optional
        Chart width; default one fixed step per strategy. ``"container"``
        fills the column (the lab, so a phone gets no wider chart).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import round_robin
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> t = round_robin(pd_game, ["tit-for-tat", "always-spend", "always-cut"], rounds=3)
    >>> spec = pairwise_chart(pairwise_long_frame(t)).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rect', 'text']
    """
    if frame.empty:
        return message_chart("No matches were played.")
    order = list(order) if order is not None else list(dict.fromkeys(frame["strategy"]))
    order += [s for s in dict.fromkeys(frame["strategy"]) if s not in order]
    lo, hi = float(frame["payoff"].min()), float(frame["payoff"].max())
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    # rows "1. Tit For Tat", columns by the same number: the column labels stay
    # short enough for a phone and read the same on a projector
    rank = {name: k + 1 for k, name in enumerate(order)}
    frame = frame.assign(row=[f"{rank[s]}. {s}" for s in frame["strategy"]],
                         col=[str(rank[o]) for o in frame["opponent"]])
    base = alt.Chart(frame).encode(
        x=alt.X("col:N", sort=[str(k) for k in range(1, len(order) + 1)],
                title="… playing against number …",
                axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=_FONT, labelOverlap=False)),
        y=alt.Y("row:N", sort=[f"{rank[s]}. {s}" for s in order], title="Strategy …",
                axis=alt.Axis(labelFontSize=_FONT, labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("payoff:Q", title=["Payoff per", "round ($B)"],
                        # a neutral scale: red/green would read as the Spend/Cut colours
                        scale=alt.Scale(scheme="purples", domain=[lo, hi])),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"), alt.Tooltip("opponent:N", title="Against"),
                 alt.Tooltip("payoff:Q", title="Mean payoff per round", format=",.2f")],
    )
    n = len(order)
    # the numbers only where a cell is wide enough to hold one (a phone shows the
    # colours, and the number on a tap)
    text = base.mark_text(fontSize=_FONT - 2, color="#111",
                          opacity=alt.ExprRef(f"width / {n} >= 34 ? 1 : 0")).encode(text="label:N")
    size = 46 if n <= 8 else 36
    # width="container" (the lab): the columns share the page's width, so a phone gets no wider chart
    return (cells + text).properties(width=alt.Step(size) if width is None else width, height=alt.Step(size))


def score_chart(frame: pd.DataFrame) -> alt.Chart:
    """Ranking bars: each strategy's mean payoff per round over all its matches, best on top.

    ``frame`` is :attr:`TournamentResult.frame` (``rank, strategy, score, cooperation``).

    Parameters
    ----------
    frame : pandas.DataFrame
        The tournament's ranking table.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    Three rounds of the prisoner's dilemma (scores worked by hand in
    :func:`dilemma.cli.repeated.cmd_tournament`):

    >>> from dilemma import load_preset, build_game
    >>> from dilemma.repeated import round_robin
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> t = round_robin(pd_game, ["tit-for-tat", "always-spend", "always-cut"], rounds=3)
    >>> spec = score_chart(t.frame).to_dict()
    >>> [(r["name"], round(r["score"], 3)) for r in spec["datasets"][spec["data"]["name"]]]
    [('Always Spend', 3.667), ('Tit For Tat', 1.833), ('Always Cut', 1.5)]
    """
    if frame.empty:
        return message_chart("No strategies in the tournament.")
    f = frame.assign(name=[strategy_label(s) for s in frame["strategy"]],
                     text=[money(v, unit=False) for v in frame["score"]])
    order = list(f.sort_values("rank")["name"])
    base = alt.Chart(f).encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelFontSize=_FONT, labelLimit=220)),
        x=alt.X("score:Q", title="Mean payoff per round ($B)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("cooperation:Q", title=["Share of rounds", "it cut"],
                        scale=alt.Scale(domain=[0, 1], range=[ACTION_COLORS["Spend"], ACTION_COLORS["Cut"]]),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("name:N", title="Strategy"),
                 alt.Tooltip("score:Q", title="Mean payoff per round", format=",.2f"),
                 alt.Tooltip("cooperation:Q", title="Share of rounds it cut", format=".0%")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=_FONT - 1).encode(text="text:N")
    return (bars + text).properties(height=alt.Step(26))


# ---- evolution -------------------------------------------------------------------


_STABILITY_TEXT = {"stable": "stable (the population settles here)", "unstable": "unstable (a tipping point)",
                   "neutral": "neutral"}


def replicator_chart(trajectories: pd.DataFrame, rests: pd.DataFrame) -> alt.Chart:
    """Share of firms spending over time, from several starting shares, with the rest points.

    ``trajectories`` is :func:`dilemma.evolution.replicator_trajectory`'s
    table (``x0, time, x``), ``rests`` :func:`dilemma.evolution.rest_points`'s
    (``x, kind, stable``). Filled diamonds at the right edge: stable rest
    points (the population ends there); hollow: unstable (a tipping point).

    Parameters
    ----------
    trajectories : pandas.DataFrame
        One or more trajectories, concatenated (``x0`` tells them apart).
    rests : pandas.DataFrame
        The rest points; may be empty.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    In the prisoner's dilemma (spender: 5 against a cutter, 1 against a
    spender; cutter: 3 and 0) spending always pays more, so the share of
    spenders rises to 1: "all spend" is the stable rest point.

    >>> from dilemma.evolution import replicator_trajectory, rest_points
    >>> S, C = [5.0, 1.0], [3.0, 0.0]
    >>> rests = rest_points(S, C)
    >>> rests[["x", "stable"]].values.tolist()
    [[0.0, False], [1.0, True]]
    >>> spec = replicator_chart(replicator_trajectory(S, C, x0=0.2), rests).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rule', 'line', 'point', 'text']
    """
    from dilemma.evolution import stability_of

    if trajectories.empty:
        return message_chart("No paths to draw.")
    t = trajectories[["x0", "time", "x"]].assign(start=[f"{v:.0%}" for v in trajectories["x0"]])
    starts = list(dict.fromkeys(t["start"]))
    t_end = float(t["time"].max())
    lines = alt.Chart(t).mark_line(strokeWidth=2.2).encode(
        x=alt.X("time:Q", title="Time (arbitrary units)"),
        y=alt.Y("x:Q", title="Share of firms spending", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("start:N", sort=starts, title="Starting share spending",
                        scale=alt.Scale(scheme="viridis"), legend=_legend("bottom", columns=4)),
        detail="x0:Q",
        tooltip=[alt.Tooltip("start:N", title="Start"), alt.Tooltip("time:Q", format=".2f"),
                 alt.Tooltip("x:Q", title="Share spending", format=".1%")],
    )
    layers = [lines]
    if rests is not None and not rests.empty:
        r = rests[["x", "kind", "stable"]].assign(
            time=t_end,
            stability=[_STABILITY_TEXT[stability_of(s)] for s in rests["stable"]],
            text=[f"{k}: {x:.0%}" for k, x in zip(rests["kind"], rests["x"])])
        kinds = {"stable (the population settles here)": "#111", "unstable (a tipping point)": "white",
                 "neutral": "#bbb"}
        dom = [k for k in kinds if k in set(r["stability"])]
        r = r.drop(columns="stable")          # None (neutral) would reach the chart as null
        rules = alt.Chart(r).mark_rule(strokeDash=[4, 4], color="#777").encode(y="x:Q")
        pts = alt.Chart(r).mark_point(shape="diamond", size=260, strokeWidth=2.5).encode(
            x="time:Q", y="x:Q",
            fill=alt.Fill("stability:N", scale=alt.Scale(domain=dom, range=[kinds[k] for k in dom]),
                          title="Rest point", legend=_legend("top", columns=1)),
            color=alt.value("#111"),
            tooltip=[alt.Tooltip("text:N", title="Rest point"), alt.Tooltip("stability:N", title="Stability")])
        labels = alt.Chart(r).mark_text(align="right", dx=-14, dy=-8, fontSize=_FONT - 1).encode(
            x="time:Q", y="x:Q", text="text:N")
        layers = [rules, lines, pts, labels]
    return alt.layer(*layers).resolve_scale(color="independent").properties(height=320)


def fixation_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """Tidy table of fixation probabilities for :func:`fixation_chart`.

    Each row: ``case`` (e.g. "Always Spend invades Tit For Tat"), ``method``
    ("Formula" or "Simulation"), ``probability``, ``ci_low``, ``ci_high``
    (equal to the probability for the formula).

    Parameters
    ----------
    rows : sequence of dict
        One dict per bar, with the keys above.

    Returns
    -------
    pandas.DataFrame
        The probability columns as floats.

    Examples
    --------
    >>> rows = [{"case": "A invades B", "method": "Formula", "probability": 0.1, "ci_low": 0.1, "ci_high": 0.1},
    ...         {"case": "A invades B", "method": "Simulation", "probability": 0.09, "ci_low": 0.07, "ci_high": 0.11}]
    >>> fixation_frame(rows)[["method", "probability"]].values.tolist()
    [['Formula', 0.1], ['Simulation', 0.09]]
    """
    frame = pd.DataFrame(list(rows), columns=["case", "method", "probability", "ci_low", "ci_high"])
    for c in ("probability", "ci_low", "ci_high"):
        frame[c] = frame[c].astype(float)
    return frame


def fixation_chart(frame: pd.DataFrame, population: int) -> alt.Chart:
    """Chance that one mutant takes over the whole population, against pure luck (1/N).

    Bars: formula and simulation (with a 95 % interval); the dashed line is
    1/N, the chance of a strategy that is neither better nor worse.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`fixation_frame` table.
    population : int
        The population size N.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> rows = [{"case": "A invades B", "method": "Formula", "probability": 0.1, "ci_low": 0.1, "ci_high": 0.1}]
    >>> spec = fixation_chart(fixation_frame(rows), population=20).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'rule', 'rule', 'text']
    >>> [row["label"] for rows in spec["datasets"].values() for row in rows if "label" in row]
    ['luck: 1/N = 5.0%']
    """
    if frame.empty:
        return message_chart("Pick two different strategies for the mutant and the residents.")
    cases = list(dict.fromkeys(frame["case"]))
    methods = ["Formula", "Simulation"]
    hi = max(float(frame["ci_high"].max()), 1.0 / population) * 1.15
    base = alt.Chart(frame).encode(
        # "One Always Spend among 19 Tit For Tat" on two lines, so that a phone keeps room for the bars
        y=alt.Y("case:N", sort=cases, title=None, axis=alt.Axis(
            labelFontSize=_FONT, labelLimit=360,
            labelExpr="indexof(datum.label, ' among ') < 0 ? datum.label : "
                      "[slice(datum.label, 0, indexof(datum.label, ' among ')), "
                      "slice(datum.label, indexof(datum.label, ' among ') + 1)]")),
        yOffset=alt.YOffset("method:N", sort=methods),
    )
    bars = base.mark_bar().encode(
        x=alt.X("probability:Q", title="Chance that one mutant takes over",
                # ".2~%": 0.5 %, 1 %, 1.5 % ... (".0%" printed "1 %, 1 %, 2 %, 2 %" on a small range)
                scale=alt.Scale(domain=[0, min(1.0, hi)]), axis=alt.Axis(format=".2~%", tickMinStep=0.005)),
        color=alt.Color("method:N", sort=methods, scale=alt.Scale(domain=methods, range=["#4c78a8", "#9ecae9"]),
                        title=None, legend=_legend()),
        tooltip=[alt.Tooltip("case:N", title="Case"), alt.Tooltip("method:N", title="By"),
                 alt.Tooltip("probability:Q", title="Probability", format=".2%"),
                 alt.Tooltip("ci_low:Q", title="95 % low", format=".2%"),
                 alt.Tooltip("ci_high:Q", title="95 % high", format=".2%")],
    )
    err = (alt.Chart(frame).transform_filter(alt.datum.method == "Simulation")
           .mark_rule(color="#222", strokeWidth=2)
           .encode(y=alt.Y("case:N", sort=cases, bandPosition=0.5),
                   yOffset=alt.YOffset("method:N", sort=methods),
                   x="ci_low:Q", x2="ci_high:Q"))
    neutral = pd.DataFrame({"p": [1.0 / population], "label": [f"luck: 1/N = {1.0 / population:.1%}"]})
    rule = alt.Chart(neutral).mark_rule(color="#333", strokeDash=[6, 4], strokeWidth=2).encode(x="p:Q")
    text = alt.Chart(neutral).mark_text(align="left", dx=4, baseline="top", fontSize=_FONT).encode(
        x="p:Q", y=alt.value(2), text="label:N")
    return alt.layer(bars, err, rule, text).properties(height=alt.Step(24))


#: Most rows an ecology chart embeds (Altair refuses more than 5,000 without ``disable_max_rows``).
ECOLOGY_MAX_ROWS = 4000


def thin_generations(frame: pd.DataFrame, max_rows: int = ECOLOGY_MAX_ROWS) -> pd.DataFrame:
    """Every ``k``-th generation (and always the first and the last), so the table has at most ``max_rows`` rows.

    The counts of a kept generation are exact (nothing is averaged), so a
    stacked chart still adds up to the population in every generation it
    shows; ``k`` is the smallest stride that fits.

    Examples
    --------
    >>> f = pd.DataFrame({"generation": np.repeat(np.arange(11), 2), "strategy": ["a", "b"] * 11, "count": 1})
    >>> sorted(set(thin_generations(f, max_rows=12)["generation"]))
    [0, 2, 4, 6, 8, 10]
    >>> len(thin_generations(f, max_rows=100)) == len(f)
    True
    """
    if len(frame) <= max_rows:
        return frame
    gens = np.unique(frame["generation"].to_numpy())
    per_gen = max(1, -(-len(frame) // len(gens)))
    fits = max(2, max_rows // per_gen)                       # generations that fit
    stride = -(-(len(gens) - 1) // (fits - 1))
    keep = set(gens[::stride].tolist()) | {gens[-1]}
    while len(keep) * per_gen > max_rows and stride < len(gens):  # the last generation may not fit the stride
        stride += 1
        keep = set(gens[::stride].tolist()) | {gens[-1]}
    return frame[frame["generation"].isin(keep)].reset_index(drop=True)


def ecology_chart(frame: pd.DataFrame) -> alt.Chart:
    """How many individuals play each strategy, generation by generation (stacked areas).

    ``frame`` is :func:`dilemma.evolution.ecology`'s table (``generation,
    strategy, count``). A band that widens is a strategy that is winning.
    A long run is thinned to every few generations
    (:func:`thin_generations`), so the chart stays under Altair's 5,000-row
    limit without switching the limit off.

    Parameters
    ----------
    frame : pandas.DataFrame
        With columns ``generation``, ``strategy`` (registry names) and ``count``.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"generation": [0, 0, 1, 1], "strategy": ["tit-for-tat", "always-spend"] * 2,
    ...                       "count": [5, 5, 7, 3]})
    >>> spec = ecology_chart(frame).to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["y"]["field"]
    ('area', 'count')
    """
    if frame.empty:
        return message_chart("No generations to show.")
    # only what is drawn: ``mean_score`` is NaN for extinct strategies and the last generation
    f = thin_generations(frame[["generation", "strategy", "count"]])
    f = f.assign(name=[strategy_label(s) for s in f["strategy"]])
    names = list(dict.fromkeys(f["name"]))
    return alt.Chart(f).mark_area().encode(
        x=alt.X("generation:Q", title="Generation", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("count:Q", stack="zero", title="Individuals"),
        color=alt.Color("name:N", sort=names, title="Strategy", scale=alt.Scale(range=STRATEGY_PALETTE),
                        legend=_legend("top", columns=2)),
        tooltip=[alt.Tooltip("name:N", title="Strategy"), alt.Tooltip("generation:Q", title="Generation"),
                 alt.Tooltip("count:Q", title="Individuals")],
    ).properties(height=320)
