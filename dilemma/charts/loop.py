"""Charts of the capital loop: the network as the cascade leaves it round by round, and the game before/after.

* :func:`network_frames` turns a :class:`~dilemma.loop.cascade.CascadeResult`
  at one step (0 = the shock, *k* = after round *k*) into two tidy tables,
  one row per node and one per flow, with fixed positions from
  :func:`dilemma.loop.layout.layout`;
* :func:`network_chart` draws them: flows as lines whose width is the money
  committed per year (grey paid, orange scaled back, red dashed stopped) with
  an arrowhead toward the payee; players as circles sized by their exposure
  (committed flows in and out, $B) and coloured by their state;
* :func:`game_compare_frame` / :func:`game_compare_chart`: each firm's payoff
  when all spend, before and after the shock.

Pure: no Streamlit; ``chart.to_dict()`` validates the spec.

Examples
--------
>>> from dilemma.loop import load_loop
>>> from dilemma.loop.cascade import cascade
>>> res = cascade(load_loop("openai-2025"), fail="OpenAI")
>>> nodes, flows = network_frames(res, step=1)
>>> flows.set_index("key").loc["OpenAI->Oracle", "status"]
'stopped'
>>> spec = network_chart(nodes, flows).to_dict()
>>> [layer["mark"]["type"] for layer in spec["layer"]]
['rule', 'point', 'circle', 'text', 'text']
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

__all__ = ["network_frames", "network_chart", "game_compare_frame", "game_compare_chart",
           "STATE_COLORS", "STATUS_COLORS", "STATE_LABELS", "STATUS_LABELS"]

#: Node states (Okabe-Ito colours, colour-blind safe).
STATE_COLORS = {"ok": "#56B4E9", "downgraded": "#E69F00", "cut": "#D55E00", "failed": "#000000"}
STATE_LABELS = {"ok": "Paying as committed", "downgraded": "Downgraded", "cut": "Forced to cut",
                "failed": "Stopped paying"}
#: Flow statuses.
STATUS_COLORS = {"paid": "#999999", "scaled back": "#E69F00", "stopped": "#D55E00"}
STATUS_LABELS = {"paid": "Paid", "scaled back": "Scaled back", "stopped": "Stopped"}
_KIND_LABELS = {"purchase": "purchase", "lease": "lease (rent)", "debt": "debt service",
                "investment": "investment", "loan": "loan"}
_ASPECT = 760 / 520   # width/height the arrows are drawn for (the default size)


def network_frames(result, step: int | None = None, layout: str = "layered"):
    """Node and flow tables of a cascade at one step.

    Parameters
    ----------
    result : CascadeResult
    step : int, optional
        0 is the shock (the shocked nodes have stopped, nobody has lost yet);
        *k* is the loop after round *k*; default the last round (the fixed point).
    layout : {"layered", "circle"}

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Nodes: ``name, kind, x, y, exposure, state, state_label, revenue_lost,
        backlog_lost``. Flows: ``key, payer, payee, kind, kind_label, amount,
        tenor, paid, status, status_label, source, x, y, x2, y2, ax, ay, angle``.
    """
    from ..loop.layout import layout as place

    loop = result.loop
    last = len(result.rounds)
    step = last if step is None else int(step)
    if not 0 <= step <= last:
        from ..errors import ParameterError

        raise ParameterError("step", f"a whole number between 0 and {last}", step)
    pos = place(loop, layout)
    names = loop.names
    if step == 0:
        shocked = {s for s in result.shock}
        states = ["failed" if n in shocked else ("cut" if f"cut:{n}" in shocked else "ok") for n in names]
        paid = [f.amount for f in loop.flows]
        for k, key in enumerate(loop.flow_keys()):
            if key in shocked:
                paid[k] = 0.0
        rev = back = [0.0] * len(names)
    else:
        rd = result.rounds[step - 1]
        states, paid, rev, back = list(rd.states), list(rd.paid), rd.revenue_lost, rd.backlog_lost
    expo = {n.name: n.exposure for n in result.nodes}
    nodes = pd.DataFrame({
        "name": names, "kind": [n.kind for n in loop.nodes],
        "x": [pos[n][0] for n in names], "y": [pos[n][1] for n in names],
        "exposure": [expo[n] for n in names], "state": states,
        "state_label": [STATE_LABELS[s] for s in states],
        "revenue_lost": [float(v) for v in rev], "backlog_lost": [float(v) for v in back],
    })
    rows = []
    for k, (key, f) in enumerate(zip(loop.flow_keys(), loop.flows)):
        (x0, y0), (x1, y1) = pos[f.payer], pos[f.payee]
        dx, dy = (x1 - x0) * _ASPECT, (y1 - y0)
        length = math.hypot(dx, dy) or 1.0
        ox, oy = 0.008 * dy / length / _ASPECT, -0.008 * dx / length   # offset to the right of the direction
        x0, y0, x1, y1 = x0 + ox, y0 + oy, x1 + ox, y1 + oy
        status = "paid" if paid[k] >= f.amount - 1e-9 else ("stopped" if paid[k] <= 1e-9 else "scaled back")
        rows.append({
            "key": key, "payer": f.payer, "payee": f.payee, "kind": f.kind, "kind_label": _KIND_LABELS[f.kind],
            "amount": f.amount, "tenor": f.tenor, "paid": float(paid[k]), "status": status,
            "status_label": STATUS_LABELS[status], "source": f.source,
            "x": x0, "y": y0, "x2": x1, "y2": y1,
            "ax": x0 + 0.62 * (x1 - x0), "ay": y0 + 0.62 * (y1 - y0),
            # Vega's angle is clockwise from "up" in screen space (y grows downwards there)
            "angle": math.degrees(math.atan2(dx, dy)) % 360.0,
        })
    return nodes, pd.DataFrame(rows)


def network_chart(nodes: pd.DataFrame, flows: pd.DataFrame, *, width: int = 760, height: int = 520,
                  title: str | None = None) -> alt.LayerChart:
    """The loop as a network: flows (width = $B per year committed) and players (size = exposure).

    Parameters
    ----------
    nodes, flows : pandas.DataFrame
        From :func:`network_frames`.
    width, height : int
        Pixels; the layout fills the plot, the axes are hidden.
    title : str, optional
    """
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.04, 1.26]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-0.06, 1.04]), axis=None)
    status_scale = alt.Scale(domain=list(STATUS_LABELS.values()), range=list(STATUS_COLORS.values()))
    state_scale = alt.Scale(domain=list(STATE_LABELS.values()), range=list(STATE_COLORS.values()))
    flow_tip = [alt.Tooltip("payer:N", title="From"), alt.Tooltip("payee:N", title="To"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("amount:Q", title="Committed ($B/yr)", format=".1f"),
                alt.Tooltip("paid:Q", title="Paid now ($B/yr)", format=".1f"),
                alt.Tooltip("tenor:Q", title="Tenor (years)", format=".0f"),
                alt.Tooltip("source:N", title="Source")]
    base_f = alt.Chart(flows)
    edges = base_f.mark_rule(opacity=0.75).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        # widths and sizes are explained in the caption; the two colour legends sit under the plot,
        # so a phone's narrow chart keeps its full width for the network
        strokeWidth=alt.StrokeWidth("amount:Q", scale=alt.Scale(domain=[0, 60], range=[0.6, 10]), legend=None),
        color=alt.Color("status_label:N", scale=status_scale,
                        legend=alt.Legend(title="Payment", orient="bottom", direction="vertical")),
        strokeDash=alt.condition(alt.datum.status == "stopped", alt.value([6, 4]), alt.value([1, 0])),
        tooltip=flow_tip,
    )
    arrows = base_f.mark_point(shape="triangle-up", filled=True, size=70, opacity=0.9).encode(
        x=alt.X("ax:Q", scale=alt.Scale(domain=[-0.04, 1.26]), axis=None),
        y=alt.Y("ay:Q", scale=alt.Scale(domain=[-0.06, 1.04]), axis=None),
        angle=alt.Angle("angle:Q", scale=None),
        color=alt.Color("status_label:N", scale=status_scale, legend=None),
        tooltip=flow_tip,
    )
    base_n = alt.Chart(nodes)
    circles = base_n.mark_circle(opacity=1, stroke="white", strokeWidth=1.5).encode(
        x=x, y=y,  # fill, not color: the players' legend stays apart from the flows'

        size=alt.Size("exposure:Q", scale=alt.Scale(type="sqrt", range=[40, 1400]), legend=None),
        fill=alt.Fill("state_label:N", scale=state_scale,
                      legend=alt.Legend(title="Player", orient="bottom", direction="vertical")),
        tooltip=[alt.Tooltip("name:N", title="Player"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("state_label:N", title="State"),
                 alt.Tooltip("revenue_lost:Q", title="Revenue lost ($B/yr)", format=".1f"),
                 alt.Tooltip("backlog_lost:Q", title="Backlog lost ($B)", format=".0f"),
                 alt.Tooltip("exposure:Q", title="Exposure ($B)", format=".0f")],
    )
    # a white halo under each name keeps it readable over the flows
    halo = base_n.mark_text(align="left", dx=13, dy=-11, fontSize=12, fontWeight="bold", stroke="white",
                            strokeWidth=4, strokeJoin="round").encode(x=x, y=y, text="name:N")
    labels = base_n.mark_text(align="left", dx=13, dy=-11, fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="name:N")
    chart = alt.layer(edges, arrows, circles, halo, labels).properties(width=width, height=height)
    if title:
        chart = chart.properties(title=title)
    return chart.configure_view(stroke=None)


def game_compare_frame(compare: dict) -> pd.DataFrame:
    """Each firm's payoff when all spend, before and after (from :func:`dilemma.loop.aftermath.compare_games`)."""
    rows = []
    for when, label in (("before", "Before the shock"), ("after", "After the shock")):
        for firm, pay in compare[when]["payoffs_all_spend"].items():
            rows.append({"firm": firm, "when": label, "payoff": float(pay)})
    return pd.DataFrame(rows)


def game_compare_chart(frame: pd.DataFrame, *, width: int = 360, height: int = 34) -> alt.LayerChart:
    """Each firm's payoff when all spend, before (grey dot) and after (red dot) the shock, joined by a line.

    ``height`` is per firm (pixels).
    """
    order = list(dict.fromkeys(frame["firm"]))
    wide = (frame.pivot(index="firm", columns="when", values="payoff")
            .rename(columns={"Before the shock": "before", "After the shock": "after"}).reset_index())
    wide = wide[["firm", "before", "after"]]
    y = alt.Y("firm:N", title=None, sort=order)
    line = alt.Chart(wide).mark_rule(color="#999999", strokeWidth=2).encode(
        y=y, x=alt.X("before:Q", title="Payoff when all spend ($B/yr)"), x2="after:Q")
    dots = alt.Chart(frame).mark_circle(size=110, opacity=1).encode(
        y=y, x="payoff:Q",
        color=alt.Color("when:N", scale=alt.Scale(domain=["Before the shock", "After the shock"],
                                                  range=["#999999", "#D55E00"]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("firm:N", title="Firm"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("payoff:Q", title="Payoff ($B/yr)", format=".1f")],
    )
    zero = alt.Chart(wide).mark_rule(color="black", strokeDash=[2, 2]).encode(x=alt.datum(0.0))
    return alt.layer(zero, line, dots).properties(width=width, height=alt.Step(height))
