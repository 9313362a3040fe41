"""Pure Altair chart builders for the lab (never calls Streamlit).

Every chart comes in two steps, both pure and testable:

* a ``*_frame`` function turns what the package computed (a
  :class:`~dilemma.game.Game`, a result of repeated play ...) into a tidy
  :class:`pandas.DataFrame` with plain column names;
* a ``*_chart(frame, ...) -> altair.Chart`` function draws it. The spec is
  plain data: ``chart.to_dict()`` validates it against Vega-Lite and a test can
  read the values back.

The colours are the same on every chart: **Spend** orange, **Cut** teal, so a
student learns them once. Payoffs are in $B of shareholder value per year.

Examples
--------
>>> from dilemma import load_preset, build_game
>>> g = build_game(load_preset("classroom-two-player"))
>>> f = payoff_matrix_frame(g)
>>> f[["row_action", "col_action", "equilibrium"]].values.tolist()
[['Spend', 'Spend', True], ['Spend', 'Cut', False], ['Cut', 'Spend', False], ['Cut', 'Cut', False]]
>>> spec = payoff_matrix_chart(f).to_dict()
"""

from __future__ import annotations

from typing import Sequence

import altair as alt
import numpy as np
import pandas as pd

from dilemma.format import money

__all__ = [
    "ACTION_COLORS",
    "action_scale",
    "payoff_matrix_frame",
    "payoff_matrix_chart",
    "breakdown_frame",
    "breakdown_chart",
    "schelling_chart",
    "schelling_frame",
    "with_data",
    "delta_chart",
    "all_cut_frame",
    "all_cut_chart",
    "message_chart",
    "chart_to_png",
    "chart_to_svg",
    "scale_spec",
]

#: Spend / Cut colours used by every chart.
ACTION_COLORS = {"Spend": "#d95f02", "Cut": "#1b9e77"}
_FONT = 13


def action_scale(actions: Sequence[str] = ("Spend", "Cut")) -> alt.Scale:
    """A colour scale mapping Spend and Cut (and any other action) to fixed colours.

    Parameters
    ----------
    actions : sequence of str
        The actions in legend order; Spend and Cut get :data:`ACTION_COLORS`,
        any other action the next colour of a fixed list.

    Returns
    -------
    altair.Scale

    Examples
    --------
    >>> action_scale(["Cut", "Spend", "Wait"]).to_dict()
    {'domain': ['Cut', 'Spend', 'Wait'], 'range': ['#1b9e77', '#d95f02', '#66a61e']}
    """
    extra = ["#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
    colors = [ACTION_COLORS.get(a, extra[i % len(extra)]) for i, a in enumerate(actions)]
    return alt.Scale(domain=list(actions), range=colors)


def message_chart(text: str, height: int = 120) -> alt.Chart:
    """A chart that only says ``text`` (for 'nothing to draw' cases, never an empty chart).

    Parameters
    ----------
    text : str
        The message.
    height : int
        Height in pixels.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> spec = message_chart("Nothing to draw.").to_dict()
    >>> spec["mark"]["type"], spec["datasets"][spec["data"]["name"]]
    ('text', [{'message': 'Nothing to draw.'}])
    """
    frame = pd.DataFrame({"message": [text]})
    return (
        alt.Chart(frame)
        .mark_text(fontSize=_FONT + 1, color="#555")
        .encode(text="message:N")
        .properties(height=height)
    )


# ---- the 2x2 payoff matrix --------------------------------------------------


def payoff_matrix_frame(game) -> pd.DataFrame:
    """One row per cell of a two-player game's payoff matrix.

    Columns: ``row_action, col_action, row_payoff, col_payoff, row_best,
    col_best`` (the row/column player's action is a best response to the other's),
    ``equilibrium`` (pure Nash equilibrium), ``welfare`` (sum of both payoffs),
    ``row_player, col_player``, ready ``row_label, col_label`` per cell and
    ``cell`` ("Nash equilibrium" or empty).

    Parameters
    ----------
    game : dilemma.game.Game
        A two-player game.

    Returns
    -------
    pandas.DataFrame
        Four rows for a 2x2 game, row action by row action.

    Raises
    ------
    ValueError
        If the game does not have exactly two players.

    Examples
    --------
    In the prisoner's dilemma spending is the best response to either action
    (5 > 3 against Cut, 1 > 0 against Spend), so the only equilibrium is
    both spend, and both cutting has the highest welfare (3 + 3).

    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> f = payoff_matrix_frame(pd_game)
    >>> f[["row_action", "col_action", "row_payoff", "col_payoff"]].values.tolist()
    [['Spend', 'Spend', 1.0, 1.0], ['Spend', 'Cut', 5.0, 0.0], ['Cut', 'Spend', 0.0, 5.0], ['Cut', 'Cut', 3.0, 3.0]]
    >>> f["row_best"].tolist(), f["equilibrium"].tolist(), f["welfare"].tolist()
    ([True, True, False, False], [True, False, False, False], [2.0, 5.0, 5.0, 6.0])
    """
    if game.n_players != 2:
        raise ValueError(f"a payoff matrix needs two players, this game has {game.n_players}")
    pay = np.asarray(game.payoffs, dtype=float)
    p0, p1 = game.players
    a0, a1 = game.actions
    eq = {tuple(e) for e in game.pure_equilibria()}
    rows = []
    for i, ra in enumerate(a0):
        for j, ca in enumerate(a1):
            # best response of the row player against column j, and vice versa
            rbest = bool(pay[i, j, 0] >= pay[:, j, 0].max() - 1e-9)
            cbest = bool(pay[i, j, 1] >= pay[i, :, 1].max() - 1e-9)
            rows.append({
                "row_player": p0, "col_player": p1,
                "row_action": ra, "col_action": ca,
                "row_payoff": float(pay[i, j, 0]), "col_payoff": float(pay[i, j, 1]),
                "row_best": rbest, "col_best": cbest,
                "equilibrium": (i, j) in eq,
                "welfare": float(pay[i, j].sum()),
            })
    frame = pd.DataFrame(rows)
    frame["row_label"] = [
        f"{r.row_player}: {money(r.row_payoff, unit=False)}{' ★' if r.row_best else ''}" for r in frame.itertuples()
    ]
    frame["col_label"] = [
        f"{r.col_player}: {money(r.col_payoff, unit=False)}{' ★' if r.col_best else ''}" for r in frame.itertuples()
    ]
    frame["cell"] = ["Nash equilibrium" if e else "" for e in frame["equilibrium"]]
    return frame


def payoff_matrix_chart(frame: pd.DataFrame, size: int = 220) -> alt.Chart:
    """The 2x2 payoff matrix as a heatmap.

    Cell colour: both firms' payoffs added up ($B/yr). Each cell prints the row
    firm's payoff over the column firm's; a ★ marks a best response to the
    other's action; a thick black frame marks a Nash equilibrium (a cell where
    both payoffs carry a ★).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`payoff_matrix_frame` table.
    size : int
        Width and height of one cell in pixels.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> spec = payoff_matrix_chart(payoff_matrix_frame(pd_game), size=100).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]], spec["width"]
    (['rect', 'text', 'text', 'text', 'rect'], 200)
    """
    row_player = frame["row_player"].iloc[0]
    col_player = frame["col_player"].iloc[0]
    order_r = list(dict.fromkeys(frame["row_action"]))
    order_c = list(dict.fromkeys(frame["col_action"]))
    lim = max(1e-9, float(frame["welfare"].abs().max()))
    base = alt.Chart(frame).encode(
        x=alt.X("col_action:N", sort=order_c, title=f"{col_player} plays",
                axis=alt.Axis(orient="top", labelFontSize=_FONT + 1, titleFontSize=_FONT + 1, labelAngle=0)),
        y=alt.Y("row_action:N", sort=order_r, title=f"{row_player} plays",
                axis=alt.Axis(labelFontSize=_FONT + 1, titleFontSize=_FONT + 1)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("welfare:Q", title=["Both firms", "together", "($B/yr)"],
                        scale=alt.Scale(scheme="redyellowgreen", domain=[-lim, lim], domainMid=0)),
        tooltip=[
            alt.Tooltip("row_action:N", title=f"{row_player} plays"),
            alt.Tooltip("col_action:N", title=f"{col_player} plays"),
            alt.Tooltip("row_payoff:Q", title=f"{row_player} ($B/yr)", format=",.2f"),
            alt.Tooltip("col_payoff:Q", title=f"{col_player} ($B/yr)", format=",.2f"),
            alt.Tooltip("cell:N", title="Equilibrium"),
        ],
    )
    top = base.mark_text(dy=-14, fontSize=_FONT + 1, fontWeight="bold").encode(text="row_label:N")
    bottom = base.mark_text(dy=8, fontSize=_FONT + 1).encode(text="col_label:N")
    tag = base.mark_text(dy=30, fontSize=_FONT - 1, fontStyle="italic").encode(text="cell:N")
    frame_eq = (
        alt.Chart(frame).transform_filter(alt.datum.equilibrium)
        .mark_rect(filled=False, stroke="black", strokeWidth=5)
        .encode(x=alt.X("col_action:N", sort=order_c), y=alt.Y("row_action:N", sort=order_r))
    )
    return (cells + top + bottom + tag + frame_eq).properties(width=2 * size, height=2 * size)


# ---- breakdown of one payoff ------------------------------------------------


def breakdown_frame(game, player: int, profile: Sequence[int]) -> pd.DataFrame:
    """Why firm ``player``'s payoff at ``profile`` is what it is, and what changes if it switches.

    Returns one row per payoff term and per own action (the given profile and
    the same profile with only this firm's action switched), plus a ``Total``
    row per action. Columns: ``term`` (key), ``label``, ``value`` ($B/yr, costs
    negative), ``action`` (this firm's action), ``chosen`` (the row belongs to
    the profile asked for), ``order`` (term position).

    Parameters
    ----------
    game : dilemma.game.Game
        A game built from a model scenario (:func:`dilemma.payoffs.build_game`),
        which carries the per-term breakdown.
    player : int
        Index of the firm.
    profile : sequence of int
        One action index per firm (0 = Spend, 1 = Cut).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If the game has no payoff breakdown (an explicit game).

    Examples
    --------
    The terms of Alpha's payoff add up to its payoff in the game, for the
    profile asked for and for the one where Alpha switches:

    >>> from dilemma import load_preset, build_game
    >>> game = build_game(load_preset("classroom-two-player"))
    >>> f = breakdown_frame(game, 0, (0, 0))
    >>> totals = f[f["term"] == "total"].set_index("action")["value"]
    >>> bool(abs(totals["Spend"] - game.payoffs[0, 0, 0]) < 1e-9), bool(abs(totals["Cut"] - game.payoffs[1, 0, 0]) < 1e-9)
    (True, True)
    >>> breakdown_frame(build_game(load_preset("games/prisoners-dilemma")), 0, (0, 0))
    Traceback (most recent call last):
    ...
    ValueError: this game has no payoff breakdown (explicit payoffs)
    """
    from dilemma.payoffs import TERM_LABELS, TERMS

    if game.breakdown is None:
        raise ValueError("this game has no payoff breakdown (explicit payoffs)")
    profile = tuple(int(a) for a in profile)
    other = list(profile)
    other[player] = 1 - profile[player]
    rows = []
    for prof, chosen in ((profile, True), (tuple(other), False)):
        act = game.actions[player][prof[player]]
        total = 0.0
        for k, term in enumerate(TERMS):
            v = float(np.asarray(game.breakdown[term])[prof + (player,)])
            total += v
            rows.append({"term": term, "label": TERM_LABELS[term], "value": v, "action": act,
                         "chosen": chosen, "order": k})
        rows.append({"term": "total", "label": "= Payoff (sum of the above)", "value": total,
                     "action": act, "chosen": chosen, "order": len(TERMS)})
    return pd.DataFrame(rows)


def breakdown_layout(frame: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the layout of :func:`breakdown_chart` depends on besides the firm's name.

    The term labels in order and the actions in legend order (the chosen
    profile's action first). Two frames with the same layout and firm give
    specs that differ only in their data, so a spec built once can be refilled
    (:func:`with_data` with :func:`breakdown_chart_data`).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`breakdown_frame` table.

    Returns
    -------
    (labels, actions) : tuple of tuple of str

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> game = build_game(load_preset("classroom-two-player"))
    >>> breakdown_layout(breakdown_frame(game, 0, (1, 0)))[1]
    ('Cut', 'Spend')
    """
    labels = tuple(dict.fromkeys(frame.sort_values("order")["label"]))
    actions = tuple(dict.fromkeys(frame["action"]))
    return labels, actions


def breakdown_chart_data(frame: pd.DataFrame) -> pd.DataFrame:
    """The one dataset :func:`breakdown_chart` draws: ``frame`` with its printed ``text`` and ``shown`` columns.

    ``text`` is the value as printed beside its bar ($B/yr, no unit); ``shown``
    says whether the row is the chosen profile or the firm's switch.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`breakdown_frame` table.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    A cost of $1.5B a year is printed with a true minus sign:

    >>> f = pd.DataFrame({"term": ["total"], "label": ["= Payoff"], "value": [-1.5], "action": ["Cut"],
    ...                   "chosen": [False], "order": [0]})
    >>> breakdown_chart_data(f)[["text", "shown"]].values.tolist()
    [['−1.5', 'if it switched']]
    """
    return frame.assign(text=[money(v, unit=False) for v in frame["value"]],
                        shown=["chosen profile" if c else "if it switched" for c in frame["chosen"]])


def breakdown_chart(frame: pd.DataFrame, player_name: str = "") -> alt.Chart:
    """Grouped bars: each payoff term of one firm when it spends and when it cuts.

    The bar of the action in the chosen profile is solid, the alternative is
    lighter; labels print the value in $B/yr. Reading it: the terms where the two
    bars differ most are why the firm prefers one action.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`breakdown_frame` table.
    player_name : str
        The firm's name, for the axis and legend titles.

    Returns
    -------
    altair.LayerChart
        One top-level dataset (:func:`breakdown_chart_data` of ``frame``), so
        :func:`with_data` can refill a spec of the same :func:`breakdown_layout`.

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> game = build_game(load_preset("classroom-two-player"))
    >>> spec = breakdown_chart(breakdown_frame(game, 0, (0, 0)), "Alpha").to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'text', 'rule']
    >>> spec["layer"][0]["encoding"]["color"]["title"]
    'Alpha plays'
    """
    labels, actions = (list(x) for x in breakdown_layout(frame))
    base = alt.Chart().encode(
        # two-line labels ("AI revenue" / "(share of the profit pool)"): the bars keep room on a phone
        y=alt.Y("label:N", sort=labels, title=None,
                axis=alt.Axis(labelLimit=220, labelFontSize=_FONT,
                              labelExpr="split(replace(datum.label, ' (', '|('), '|')")),
        yOffset=alt.YOffset("action:N", sort=actions),
    )
    bars = base.mark_bar().encode(
        # a short title: a stretched chart's plot shrinks until every text fits, the axis title too
        # (the firm's name is in the legend's title)
        x=alt.X("value:Q", title="$B/yr (left of 0: cost)",
                scale=alt.Scale(padding=36)),  # room for the value labels at both ends
        color=alt.Color("action:N", scale=action_scale(actions),
                        title=f"{player_name or 'The firm'} plays",
                        legend=alt.Legend(orient="top", labelFontSize=_FONT, titleFontSize=_FONT)),
        # no opacity legend: its swatches are black and grey, not the bars' orange and teal;
        # the page says "solid: the chosen profile, light: if the firm switched"
        opacity=alt.Opacity("shown:N", scale=alt.Scale(domain=["chosen profile", "if it switched"],
                                                       range=[1.0, 0.45]), legend=None),
        tooltip=[alt.Tooltip("label:N", title="Term"), alt.Tooltip("action:N", title="Plays"),
                 alt.Tooltip("value:Q", title="$B/yr", format=",.2f")],
    )
    # labels outside the bar end: right of gains, left of costs (never over a bar)
    text = base.mark_text(
        align=alt.expr("datum.value < 0 ? 'right' : 'left'"),
        dx=alt.expr("datum.value < 0 ? -4 : 4"), fontSize=_FONT - 1,
    ).encode(x=alt.X("value:Q"), text="text:N")
    # one top-level dataset (the rule uses a one-row aggregate of it), so the lab can refill a spec
    # built once per layout (see with_data)
    zero = alt.Chart().transform_aggregate(n="count()").mark_rule(color="black").encode(x=alt.datum(0))
    return alt.layer(bars, text, zero, data=breakdown_chart_data(frame)).properties(height=alt.Step(16))


# ---- N players: the Schelling diagram --------------------------------------


def schelling_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The data the Schelling diagram draws: one row per firm, rival count and own action.

    Columns ``player, others_spending, action ('Spend'/'Cut'), payoff``; the
    chart's only dataset, so :func:`with_data` can put another game's numbers
    into a spec built once for the same firms.

    Parameters
    ----------
    frame : pandas.DataFrame
        :meth:`dilemma.game.Game.schelling`'s table (``player,
        others_spending, spend, cut, delta``).

    Returns
    -------
    pandas.DataFrame
        The Spend rows, then the Cut rows.

    Examples
    --------
    In the prisoner's dilemma a firm whose rival cuts gets T = 5 by spending
    and R = 3 by cutting; against a spending rival, P = 1 and S = 0:

    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> long = schelling_frame(pd_game.schelling())
    >>> long[long["player"] == "Alpha"][["others_spending", "action", "payoff"]].values.tolist()
    [[0, 'Spend', 5.0], [1, 'Spend', 1.0], [0, 'Cut', 3.0], [1, 'Cut', 0.0]]
    """
    long = frame.melt(id_vars=["player", "others_spending"], value_vars=["spend", "cut"],
                      var_name="action", value_name="payoff")
    long["action"] = long["action"].map({"spend": "Spend", "cut": "Cut"})
    return long


def with_data(spec: dict, frame: pd.DataFrame) -> dict:
    """A copy of a chart spec whose top-level dataset holds ``frame`` instead.

    For charts with one top-level data source (such as :func:`schelling_chart`):
    the spec is built (and validated) once per layout and refilled per setting,
    which costs microseconds where building the chart costs tens of ms.

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec (``chart.to_dict()``) with a named top-level dataset.
    frame : pandas.DataFrame
        The new data, with the columns the spec encodes.

    Returns
    -------
    dict
        A new spec; ``spec`` itself is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    >>> new = with_data(spec, pd.DataFrame({"x": [2, 3]}))
    >>> new["datasets"][new["data"]["name"]]
    [{'x': 2}, {'x': 3}]
    """
    return with_dataset(spec, frame.to_dict("records"))


def with_dataset(spec: dict, values) -> dict:
    """A copy of a chart spec whose top-level dataset is ``values``, as given.

    :func:`with_data` with the records of a frame; a front end may pass the
    dataset already encoded the way it ships data (Streamlit takes Arrow IPC
    bytes in ``datasets`` as they are).

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec with a named top-level dataset.
    values : list of dict or bytes
        The new dataset.

    Returns
    -------
    dict
        A new spec; ``spec`` itself is not changed.

    Examples
    --------
    >>> spec = {"data": {"name": "d1"}, "datasets": {"d1": [{"x": 1}]}, "mark": "point"}
    >>> with_dataset(spec, [{"x": 5}])["datasets"], spec["datasets"]
    ({'d1': [{'x': 5}]}, {'d1': [{'x': 1}]})
    """
    name = spec["data"]["name"]
    return {**spec, "datasets": {**spec["datasets"], name: values}}


def schelling_chart(frame: pd.DataFrame, player: str | None = None, columns: int = 3) -> alt.Chart:
    """Schelling diagram: a firm's payoff when it spends and when it cuts.

    ``frame`` is :meth:`dilemma.game.Game.schelling`'s table (``player,
    others_spending, spend, cut, delta``). The horizontal axis counts the rivals
    who spend; where the Spend line lies above the Cut line, spending pays.
    With ``player`` only that firm is drawn (no fixed width: it takes its
    container's, so the lab lays the firms out in responsive columns), else one
    facet panel per firm, ``columns`` to a row (for a file export).

    Parameters
    ----------
    frame : pandas.DataFrame
        :meth:`dilemma.game.Game.schelling`'s table; empty for a game that is
        not a Spend/Cut game (the chart then says so).
    player : str, optional
        Draw only this firm.
    columns : int
        Facet panels per row when all firms are drawn.

    Returns
    -------
    altair.Chart
        A layered chart for one firm, a faceted one for all.

    Examples
    --------
    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> spec = schelling_chart(pd_game.schelling()).to_dict()
    >>> spec["facet"]["field"], spec["columns"]
    ('player', 3)
    >>> schelling_chart(pd_game.schelling(), player="Alpha").to_dict()["title"]["text"]
    'Alpha'
    """
    if frame.empty:
        return message_chart("No Schelling diagram: the game is not a Spend/Cut game.")
    if player is not None:
        frame = frame[frame["player"] == player]
    long = schelling_frame(frame)
    n_others = int(frame["others_spending"].max()) if len(frame) else 1
    base = alt.Chart(long).encode(
        x=alt.X("others_spending:Q", title="How many rivals spend",
                scale=alt.Scale(domain=[0, max(1, n_others)]),
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("payoff:Q", title="Payoff ($B per year)"),
        color=alt.Color("action:N", scale=action_scale(), title="The firm itself",
                        legend=alt.Legend(orient="top", labelFontSize=_FONT, titleFontSize=_FONT)),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("action:N", title="Plays"),
                 alt.Tooltip("others_spending:Q", title="Rivals spending"),
                 alt.Tooltip("payoff:Q", title="$B/yr", format=",.2f")],
    )
    layer = base.mark_line(strokeWidth=3) + base.mark_circle(size=70)
    zero = alt.Chart().mark_rule(color="#999", strokeDash=[3, 3]).encode(y=alt.datum(0))
    chart = alt.layer(layer, zero, data=long)
    if player is not None:
        return chart.properties(title=alt.TitleParams(player, fontSize=_FONT + 1), height=200)
    return chart.properties(width=210, height=170).facet(
        facet=alt.Facet("player:N", title=None, sort=list(dict.fromkeys(frame["player"])),
                        header=alt.Header(labelFontSize=_FONT + 1, labelFontWeight="bold")),
        columns=columns,
    ).resolve_scale(y="independent")


def delta_chart(frame: pd.DataFrame) -> alt.Chart:
    """The advantage of spending over cutting, Δ = S − C, by rivals spending, one line per firm.

    Above zero a firm prefers to spend; a line crossing zero is a tipping point
    (stag hunt, rising) or a stable mix (chicken, falling).

    Parameters
    ----------
    frame : pandas.DataFrame
        :meth:`dilemma.game.Game.schelling`'s table (the ``delta`` column is drawn).

    Returns
    -------
    altair.LayerChart
        One top-level dataset, so :func:`with_data` can refill the spec.

    Examples
    --------
    In the prisoner's dilemma Δ is T − R = 2 against a cutting rival and
    P − S = 1 against a spending one: above zero throughout, spending pays.

    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> spec = delta_chart(pd_game.schelling()).to_dict()
    >>> [(r["others_spending"], r["delta"]) for r in spec["datasets"][spec["data"]["name"]] if r["player"] == "Alpha"]
    [(0, 2.0), (1, 1.0)]
    """
    if frame.empty:
        return message_chart("No spending advantage to draw: the game is not a Spend/Cut game.")
    # one top-level dataset (the rule and the label use a one-row aggregate of it), so the lab
    # can refill a spec built once (see with_data)
    base = alt.Chart().encode(
        x=alt.X("others_spending:Q", title="How many rivals spend", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("delta:Q", title="Spend minus Cut ($B per year)"),
        color=alt.Color("player:N", title="Firm", sort=list(dict.fromkeys(frame["player"])),
                        legend=alt.Legend(orient="bottom", columns=3, labelFontSize=_FONT, titleFontSize=_FONT)),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("others_spending:Q", title="Rivals spending"),
                 alt.Tooltip("delta:Q", title="Spend − Cut ($B/yr)", format=",.2f")],
    )
    one = alt.Chart().transform_aggregate(n="count()")
    zero = one.mark_rule(color="black").encode(y=alt.datum(0))
    band = one.mark_text(
        align="left", baseline="bottom", dx=4, dy=-4, color="#444", fontSize=_FONT - 1,
    ).encode(y=alt.datum(0), x=alt.datum(0), text=alt.datum("↑ spending pays   ↓ cutting pays"))
    return alt.layer(base.mark_line(strokeWidth=2.5), base.mark_circle(size=50), zero, band,
                     data=frame).properties(height=260)


# ---- everyone cuts -----------------------------------------------------------


def all_cut_frame(all_cut: dict) -> pd.DataFrame:
    """Long table of each firm's payoff when all spend and when all cut.

    ``all_cut`` is the ``"all_cut"`` entry of :func:`dilemma.analysis.analyse`.
    Columns: ``player, outcome ('All spend' / 'All cut'), payoff, gain,
    label`` (the payoff as printed over its bar, one decimal, never ``−0.0``).

    Parameters
    ----------
    all_cut : dict
        With ``all_spend``, ``all_cut`` and ``gain``, each a mapping firm -> $B/yr.

    Returns
    -------
    pandas.DataFrame
        Two rows per firm, All spend first.

    Examples
    --------
    In the prisoner's dilemma both firms get P = 1 when both spend and
    R = 3 when both cut, a gain of 2 each:

    >>> from dilemma.analysis import analyse
    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> f = all_cut_frame(analyse(pd_game)["all_cut"])
    >>> f[["player", "outcome", "payoff", "gain"]].values.tolist()
    [['Alpha', 'All spend', 1.0, 2.0], ['Alpha', 'All cut', 3.0, 2.0], ['Beta', 'All spend', 1.0, 2.0], ['Beta', 'All cut', 3.0, 2.0]]
    """
    from dilemma.tables import payoff_text

    rows = []
    for p, v in all_cut["all_spend"].items():
        gain = all_cut["gain"][p]
        rows.append({"player": p, "outcome": "All spend", "payoff": v, "gain": gain, "label": payoff_text(v)})
        c = all_cut["all_cut"][p]
        rows.append({"player": p, "outcome": "All cut", "payoff": c, "gain": gain, "label": payoff_text(c)})
    return pd.DataFrame(rows)


def all_cut_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars per firm: payoff when everyone spends versus when everyone cuts.

    Parameters
    ----------
    frame : pandas.DataFrame
        An :func:`all_cut_frame` table.

    Returns
    -------
    altair.LayerChart
        One top-level dataset, so :func:`with_data` can refill the spec.

    Examples
    --------
    >>> from dilemma.analysis import analyse
    >>> from dilemma import load_preset, build_game
    >>> pd_game = build_game(load_preset("games/prisoners-dilemma"))  # R = 3, S = 0, T = 5, P = 1
    >>> spec = all_cut_chart(all_cut_frame(analyse(pd_game)["all_cut"])).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'text', 'rule']
    """
    players = list(dict.fromkeys(frame["player"]))
    scale = alt.Scale(domain=["All spend", "All cut"], range=[ACTION_COLORS["Spend"], ACTION_COLORS["Cut"]])
    base = alt.Chart().encode(
        x=alt.X("player:N", sort=players, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=_FONT)),
        xOffset=alt.XOffset("outcome:N", sort=["All spend", "All cut"]),
        y=alt.Y("payoff:Q", title="Payoff ($B per year)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("outcome:N", scale=scale, title=None,
                        legend=alt.Legend(orient="top", labelFontSize=_FONT)),
        tooltip=[alt.Tooltip("player:N", title="Firm"), alt.Tooltip("outcome:N", title="When"),
                 alt.Tooltip("payoff:Q", title="$B/yr", format=",.2f"),
                 alt.Tooltip("gain:Q", title="Gain if all cut", format=",.2f")],
    )
    # every bar carries its value, so a payoff of about zero (an invisible bar) still reads "0.0"
    text = base.mark_text(dy=alt.expr("datum.payoff < 0 ? 9 : -7"), fontSize=_FONT - 1, color="#222").encode(
        text=alt.Text("label:N"), color=alt.value("#222"))
    # one top-level dataset (the rule uses a one-row aggregate), so specs can be refilled (with_data)
    zero = alt.Chart().transform_aggregate(n="count()").mark_rule(color="black").encode(y=alt.datum(0))
    return alt.layer(bars, text, zero, data=frame).properties(height=260)


# ---- presenter mode ------------------------------------------------------------

_SCALED = {"fontSize", "labelFontSize", "titleFontSize", "labelLimit", "titleLimit", "strokeWidth",
           "height", "width", "step", "symbolSize", "labelPadding", "titlePadding"}
_SQUARED = {"size"}          # point/circle areas grow with the square of the scale


def scale_spec(spec: dict, factor: float) -> dict:
    """A copy of a Vega-Lite spec drawn ``factor`` times larger: type, sizes, strokes, marks.

    Every explicit font size, label limit, stroke width, fixed width/height
    and step is multiplied by ``factor``, point areas by ``factor**2``; Vega's
    default font sizes (axis 11, legend 11, title 13, header 11) are set to
    ``factor`` times theirs where the spec does not set them. Strings such as
    ``"container"`` are left alone, so stretched charts still fit their column.

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec (``chart.to_dict()``); it is not changed.
    factor : float
        How much larger (1.5: presenter mode on a projector).

    Returns
    -------
    dict

    Examples
    --------
    >>> scale_spec({"mark": {"type": "text", "fontSize": 12}, "height": 200, "width": "container"}, 1.5)["mark"]
    {'type': 'text', 'fontSize': 18.0}
    """
    def walk(x, parent_key=None):
        if isinstance(x, dict):
            out = {}
            for k, v in x.items():
                if k in ("datasets", "data", "tooltip"):
                    out[k] = v
                elif isinstance(v, (int, float)) and not isinstance(v, bool) and k in _SCALED:
                    out[k] = round(float(v) * factor, 2)
                elif isinstance(v, (int, float)) and not isinstance(v, bool) and k in _SQUARED and parent_key != "encoding":
                    out[k] = round(float(v) * factor * factor, 2)
                else:
                    out[k] = walk(v, k)
            return out
        if isinstance(x, list):
            return [walk(v, parent_key) for v in x]
        return x

    out = walk(spec)
    config = dict(out.get("config", {}))
    for part, keys in (("axis", {"labelFontSize": 11, "titleFontSize": 11}),
                       ("legend", {"labelFontSize": 11, "titleFontSize": 11, "symbolSize": 100}),
                       ("header", {"labelFontSize": 11, "titleFontSize": 11}),
                       ("title", {"fontSize": 13}), ("text", {"fontSize": 11})):
        block = dict(config.get(part, {}))
        for k, v in keys.items():
            block.setdefault(k, round(v * (factor * factor if k == "symbolSize" else factor), 2))
        config[part] = block
    out["config"] = config
    return out


# ---- export -----------------------------------------------------------------


#: What to tell a user whose install lacks the PNG/SVG renderer.
EXPORT_HINT = "PNG and SVG downloads need the export extra: pip install \"dilemma[export]\""


def export_available() -> bool:
    """Whether PNG/SVG export works here (``vl-convert``, the ``export`` extra, is installed).

    Returns
    -------
    bool

    Examples
    --------
    >>> import importlib.util
    >>> export_available() == (importlib.util.find_spec("vl_convert") is not None)
    True
    """
    import importlib.util

    return importlib.util.find_spec("vl_convert") is not None


def _vl_convert():
    try:
        import vl_convert
    except ImportError:
        from dilemma.errors import DilemmaError

        raise DilemmaError(EXPORT_HINT) from None
    return vl_convert


def chart_to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, rendered offline by ``vl-convert`` (no browser, no network).

    Parameters
    ----------
    chart : altair.Chart (or any top-level chart)
    scale : float
        Pixel density: 2 gives a sharp image on a high-resolution screen.

    Returns
    -------
    bytes

    Raises
    ------
    DilemmaError
        ``vl-convert`` (the ``export`` extra) is not installed; the message names the extra.

    Examples
    --------
    >>> png = chart_to_png(message_chart("hello"), scale=1)  # needs the export extra
    >>> png[1:4]
    b'PNG'
    """
    vlc = _vl_convert()

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def chart_to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text, rendered offline by ``vl-convert`` (DilemmaError without the export extra).

    Parameters
    ----------
    chart : altair.Chart (or any top-level chart)

    Returns
    -------
    str

    Raises
    ------
    DilemmaError
        ``vl-convert`` (the ``export`` extra) is not installed; the message names the extra.

    Examples
    --------
    >>> chart_to_svg(message_chart("hello")).startswith("<svg")  # needs the export extra
    True
    """
    vlc = _vl_convert()

    return vlc.vegalite_to_svg(chart.to_json())
