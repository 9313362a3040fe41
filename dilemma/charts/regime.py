"""The regime map: which kind of game holds where in a parameter sweep.

:func:`regime_chart` draws a :func:`dilemma.sweep.sweep` table. Two swept
parameters give a heatmap (one cell per grid point), one parameter a strip
(or a line, for a numeric column such as ``burst_frequency``); a third swept
parameter splits the heatmap into small multiples. The scenario's current
values are marked (a cross on the heatmap, a rule on the strip).

Game types always have the same colours, from the Okabe-Ito palette that
stays distinguishable with the common colour-vision deficiencies, and the
legend uses plain names ("Prisoner's dilemma", "Stag hunt (tipping point)").

Pure: no Streamlit, no file output; ``chart.to_dict()`` validates the spec.

Examples
--------
>>> from dilemma import load_preset
>>> from dilemma.sweep import sweep
>>> frame = sweep(load_preset("2025-baseline"),
...               {"market.punishment": [0.0, 0.01, 0.02], "demand.profit_pool": [150.0, 250.0]})
>>> spec = regime_chart(frame, "market.punishment", "demand.profit_pool").to_dict()
>>> spec["layer"][0]["mark"]["type"]
'rect'
"""

from __future__ import annotations

from typing import Mapping

import altair as alt
import numpy as np
import pandas as pd

from ..equilibria.classify import TYPE_LABELS, TYPES

__all__ = ["regime_chart", "regime_frame", "TYPE_COLORS", "TYPE_ORDER", "axis_title"]

#: Game-type slugs in legend order (those of the solvers).
TYPE_ORDER = tuple(TYPES)
#: One fixed, colour-blind-safe colour per game type (Okabe & Ito 2008).
TYPE_COLORS = {
    "prisoners-dilemma": "#D55E00",  # vermillion
    "stag-hunt": "#0072B2",          # blue
    "chicken": "#E69F00",            # orange
    "harmony": "#009E73",            # bluish green
    "deadlock": "#CC79A7",           # reddish purple
    "other": "#999999",              # grey
}
_OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
              "#000000", "#999999"]
_COLUMN_TITLES = {
    "game_type": "Game type",
    "equilibria": "Equilibria",
    "n_equilibria": "Number of equilibria",
    "social_optimum": "Social optimum",
    "welfare_optimum": "Welfare at the optimum ($B/yr)",
    "welfare_equilibrium": "Welfare at the worst equilibrium ($B/yr)",
    "welfare_gap": "Welfare lost to the dilemma ($B/yr)",
    "price_of_anarchy": "Price of anarchy",
    "critical_delta": "Discount factor that sustains restraint",
    "burst_frequency": "Share of runs in which the bubble bursts",
}


def _type_labels() -> dict[str, str]:
    """Plain legend names of the game types (from :data:`dilemma.equilibria.classify.TYPE_LABELS`)."""
    return {k: TYPE_LABELS.get(k, k) for k in TYPE_ORDER}


def axis_title(path: str) -> tuple[str, str | None]:
    """Plain title and number format of a swept parameter's axis.

    Parameters
    ----------
    path : str
        A dotted parameter path as in a sweep (``"market.punishment"``), or a
        firm field as ``"players.NAME.FIELD"``.

    Returns
    -------
    title : str
        The parameter's label with its unit in brackets; ``path`` itself when
        it names no model parameter.
    fmt : str or None
        A d3 number format (``".1%"`` for parameters stored as fractions and
        shown in percent), or None.

    Examples
    --------
    >>> axis_title("market.punishment")
    ('Market punishment for cutting (% of market value per year)', '.1%')
    >>> axis_title("players.Meta.capex")
    ('Meta: Planned capex ($B per year)', None)
    >>> axis_title("not.a.parameter")
    ('not.a.parameter', None)
    """
    from ..parameters import param

    parts = path.split(".")
    try:
        if len(parts) == 3 and parts[0] == "players":
            p = param(parts[2])
            label = f"{parts[1]}: {p.label}"
        else:
            p = param(path)
            label = p.label
    except KeyError:
        return path, None
    unit = f" ({p.unit})" if p.unit else ""
    return label + unit, (".1%" if p.percent else None)


def _edges(values: np.ndarray) -> tuple[dict, dict]:
    """Cell edges around each distinct grid value (midpoints between neighbours)."""
    u = np.unique(values)
    if len(u) == 1:
        half = 0.5 * abs(u[0]) if u[0] else 0.5
        lo, hi = u - half, u + half
    else:
        mid = (u[1:] + u[:-1]) / 2
        lo = np.concatenate([[u[0] - (mid[0] - u[0])], mid])
        hi = np.concatenate([mid, [u[-1] + (u[-1] - mid[-1])]])
    return dict(zip(u.tolist(), lo.tolist())), dict(zip(u.tolist(), hi.tolist()))


def regime_frame(frame: pd.DataFrame, x: str, y: str | None = None, color: str = "game_type",
                 facet: str | None = None) -> pd.DataFrame:
    """The tidy table the chart draws: safe column names, cell edges, labels.

    Each grid value becomes a cell reaching halfway to its neighbours (the
    outer cells as far out as inwards), so an uneven grid leaves no gaps.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`dilemma.sweep.sweep` table, one row per grid point.
    x : str
        The column (a swept parameter) on the horizontal axis.
    y : str, optional
        The column on the vertical axis; without it the map is a strip.
    color : str, default "game_type"
        The column that colours the cells; game types get their plain names
        (:data:`dilemma.equilibria.classify.TYPE_LABELS`).
    facet : str, optional
        A third swept parameter, one small map per value.

    Returns
    -------
    pandas.DataFrame
        Columns ``x, x0, x1`` (value and cell edges), ``y, y0, y1`` with ``y``,
        ``facet`` with ``facet``, ``value`` (the colour) and ``t_*`` tooltip
        columns for the label columns the sweep table holds.

    Raises
    ------
    KeyError
        If a named column is not in ``frame`` (the message lists the columns).

    Examples
    --------
    Three punishment values 0, 1 % and 2 %: each cell reaches halfway to the
    next value, the outer ones as far out.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"market.punishment": [0.0, 0.01, 0.02],
    ...                       "game_type": ["chicken", "prisoners-dilemma", "prisoners-dilemma"]})
    >>> cells = regime_frame(table, "market.punishment")
    >>> cells[["x0", "x1"]].round(4).values.tolist()
    [[-0.005, 0.005], [0.005, 0.015], [0.015, 0.025]]
    >>> cells["value"].tolist()
    ['Chicken (stable mix)', "Prisoner's dilemma", "Prisoner's dilemma"]
    >>> regime_frame(table, "market.shape")
    Traceback (most recent call last):
    ...
    KeyError: "column 'market.shape' not in the sweep table; columns: market.punishment, game_type"
    """
    for col in [x, y, color, facet]:
        if col is not None and col not in frame.columns:
            raise KeyError(f"column {col!r} not in the sweep table; columns: {', '.join(frame.columns)}")
    out = pd.DataFrame({"x": frame[x].to_numpy(dtype=float)})
    lo, hi = _edges(out["x"].to_numpy())
    out["x0"] = out["x"].map(lo)
    out["x1"] = out["x"].map(hi)
    if y is not None:
        out["y"] = frame[y].to_numpy(dtype=float)
        lo, hi = _edges(out["y"].to_numpy())
        out["y0"] = out["y"].map(lo)
        out["y1"] = out["y"].map(hi)
    if facet is not None:
        out["facet"] = frame[facet].to_numpy(dtype=float)
    if color == "game_type":
        labels = _type_labels()
        out["value"] = frame["game_type"].map(lambda s: labels.get(s, s)).to_numpy()
    else:
        out["value"] = frame[color].to_numpy()
    for col in ("game_type", "equilibria", "social_optimum", "critical_delta", "burst_frequency"):
        if col in frame.columns:
            vals = frame[col].to_numpy()
            if col == "critical_delta":  # JSON has no infinity: say it in words
                f = vals.astype(float)
                vals = np.where(np.isfinite(f), np.round(f, 3).astype(object),
                                np.where(np.isinf(f), "never (restraint cannot last)", "n/a"))
            out[f"t_{col}"] = vals
    if "game_type" in frame.columns:
        labels = _type_labels()
        out["t_game_type"] = frame["game_type"].map(lambda s: labels.get(s, s)).to_numpy()
    return out


#: The legend goes under the map, one name a line: beside it, on a phone's 390 px, it
#: left the map itself a few pixels wide.
_LEGEND_BELOW = alt.Legend(orient="bottom", columns=1, labelLimit=260)


def _lines(title: str) -> str | list[str]:
    """A long axis title on two lines, the unit in brackets on the second (a phone's
    map is narrower than "Market punishment for cutting (% of market value per year)")."""
    head, sep, unit = title.partition(" (")
    return [head, "(" + unit] if sep and len(title) > 34 else title


def _color(frame: pd.DataFrame, column: str, data: pd.DataFrame) -> alt.Color:
    title = _COLUMN_TITLES.get(column, column)
    if column == "game_type":
        labels = _type_labels()
        present = set(data["value"])
        domain = [labels[k] for k in TYPE_ORDER if labels[k] in present]
        rng = [TYPE_COLORS[k] for k in TYPE_ORDER if labels[k] in present]
        return alt.Color("value:N", title=title, scale=alt.Scale(domain=domain, range=rng),
                         legend=_LEGEND_BELOW)
    if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
        return alt.Color("value:Q", title=title, scale=alt.Scale(scheme="viridis"))
    order = data["value"].value_counts().index.tolist()
    palette = (_OKABE_ITO * (len(order) // len(_OKABE_ITO) + 1))[: len(order)]
    return alt.Color("value:N", title=title, scale=alt.Scale(domain=order, range=palette),
                     legend=alt.Legend(orient="bottom", columns=1, labelLimit=360, symbolLimit=30))


def _tooltip(data: pd.DataFrame, x: str, y: str | None, color: str) -> list:
    tips = [alt.Tooltip("x:Q", title=x, format=".4g")]
    if y is not None:
        tips.append(alt.Tooltip("y:Q", title=y, format=".4g"))
    names = {"t_game_type": "game type", "t_equilibria": "equilibria",
             "t_social_optimum": "social optimum", "t_critical_delta": "critical δ",
             "t_burst_frequency": "burst frequency"}
    for col, title in names.items():
        if col in data.columns:
            kind = "N" if data[col].dtype == object else "Q"
            tips.append(alt.Tooltip(f"{col}:{kind}", title=title))
    if color not in ("game_type", "equilibria", "social_optimum", "critical_delta", "burst_frequency"):
        tips.append(alt.Tooltip("value", title=color))
    return tips


def regime_chart(frame: pd.DataFrame, x: str, y: str | None = None, color: str = "game_type",
                 current: Mapping[str, float] | None = None, *, facet: str | None = None,
                 title: str | None = None, width: int | str = 480, height: int = 360) -> alt.Chart:
    """Regime map of a sweep table.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`dilemma.sweep.sweep` table.
    x, y : str
        Swept parameters (dotted paths) for the horizontal and vertical axis;
        without ``y`` the chart is a strip (or a line for a numeric ``color``).
    color : str, default "game_type"
        Column that colours the cells: ``game_type`` (fixed colours per type),
        another label column such as ``equilibria``, or a numeric column
        (``critical_delta``, ``burst_frequency`` ...; viridis scale).
    current : mapping of dotted path to float, optional
        The scenario's current values, marked on the map; default
        ``frame.attrs["current"]``. Pass ``{}`` for no marker.
    facet : str, optional
        A third swept parameter: one small map per value.
    title : str, optional
        Chart title (default from ``frame.attrs["title"]``).
    width, height : int or "container"
        Size of one map in pixels; ``width="container"`` fills the column (the lab).

    Returns
    -------
    altair.Chart (a layered or faceted chart)

    Raises
    ------
    KeyError
        If a named column is not in ``frame``.

    Examples
    --------
    A strip over one parameter: one cell per value and a dashed rule at the
    scenario's current value (0.9 %).

    >>> from dilemma import load_preset
    >>> from dilemma.sweep import sweep
    >>> table = sweep(load_preset("2025-baseline"), {"market.punishment": [0.0, 0.01, 0.02]})
    >>> spec = regime_chart(table, "market.punishment").to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rect', 'rule']
    >>> spec["title"]
    'Regime map: 2025 baseline: five hyperscalers'
    >>> spec["layer"][0]["encoding"]["x"]["axis"]["format"]
    '.1%'
    """
    data = regime_frame(frame, x, y, color, facet)
    if current is None:
        current = frame.attrs.get("current", {}) or {}
    xtitle, xfmt = axis_title(x)
    xtitle = _lines(xtitle)
    xaxis = alt.Axis(title=xtitle, format=xfmt, titleLimit=0) if xfmt else alt.Axis(title=xtitle, titleLimit=0)
    col = _color(frame, color, data)
    tips = _tooltip(data, x, y, color)
    if title is None:
        name = frame.attrs.get("title")
        title = f"Regime map: {name}" if name else "Regime map"
    numeric_line = y is None and col.shorthand == "value:Q"
    # with a facet the data sits on the facet; a layer holding its own data would draw
    # every panel's cells in every panel
    source = alt.Chart() if facet is not None else alt.Chart(data)

    if y is not None:
        ytitle, yfmt = axis_title(y)
        ytitle = _lines(ytitle)
        yaxis = alt.Axis(title=ytitle, format=yfmt, titleLimit=0) if yfmt else alt.Axis(title=ytitle, titleLimit=0)
        # each cell stroked in its own colour: no anti-aliased hairlines between rows
        base = source.mark_rect(strokeWidth=0.8).encode(
            x=alt.X("x0:Q", axis=xaxis, scale=alt.Scale(zero=False, nice=False)),
            x2="x1:Q",
            y=alt.Y("y0:Q", axis=yaxis, scale=alt.Scale(zero=False, nice=False)),
            y2="y1:Q",
            color=col,
            stroke=alt.Stroke(col.to_dict()["field"] + ":" + col.to_dict()["type"][0].upper(),
                              scale=alt.Scale(**col.to_dict().get("scale", {})), legend=None),
            tooltip=tips,
        )
        layers = [base]
        if x in current and y in current:
            here = pd.DataFrame({"x": [float(current[x])], "y": [float(current[y])],
                                 "label": ["current scenario"]})
            layers.append(alt.Chart(here).mark_point(
                shape="cross", size=600, filled=True, color="black", stroke="white", strokeWidth=2,
            ).encode(x="x:Q", y="y:Q", tooltip=[alt.Tooltip("label:N", title="marker")]))
            layers.append(alt.Chart(here).mark_text(
                text="you are here", align="left", dx=14, dy=-12, fontSize=14, fontWeight="bold",
                color="black", stroke="white", strokeWidth=3, strokeOpacity=0.8,
            ).encode(x="x:Q", y="y:Q"))
            layers.append(alt.Chart(here).mark_text(
                text="you are here", align="left", dx=14, dy=-12, fontSize=14, fontWeight="bold", color="black",
            ).encode(x="x:Q", y="y:Q"))
        size = dict(width=width, height=height)
    else:
        if numeric_line:
            base = source.mark_line(point=True).encode(
                x=alt.X("x:Q", axis=xaxis, scale=alt.Scale(zero=False, nice=False)),
                y=alt.Y("value:Q", title=_COLUMN_TITLES.get(color, color)),
                tooltip=tips,
            )
            size = dict(width=width, height=height // 2)
        else:
            base = source.mark_rect().encode(
                x=alt.X("x0:Q", axis=xaxis, scale=alt.Scale(zero=False, nice=False)),
                x2="x1:Q",
                color=col,
                tooltip=tips,
            )
            size = dict(width=width, height=60)
        layers = [base]
        if x in current:
            here = pd.DataFrame({"x": [float(current[x])], "label": ["current scenario"]})
            layers.append(alt.Chart(here).mark_rule(color="black", strokeWidth=2, strokeDash=[4, 3])
                          .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="marker")]))
    chart = alt.layer(*layers).properties(**size)
    if facet is not None:
        ftitle, _ = axis_title(facet)
        chart = chart.facet(facet=alt.Facet("facet:O", title=ftitle), columns=3, data=data)
    return chart.properties(title=title)
