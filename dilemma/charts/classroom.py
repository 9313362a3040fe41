"""Pure chart builders for classroom mode (never calls Streamlit).

Each chart takes the plain lists/dicts of :mod:`dilemma.classroom.analysis`
and returns an :class:`altair.Chart`; an empty input gives a
:func:`~dilemma.charts.message_chart` saying why. Spend is orange, as
everywhere; the equilibrium is drawn dashed, the social optimum dotted.

Examples
--------
>>> spec = spend_share_chart([{"round": 1, "share_spend": 0.75, "decisions": 4}], [1.0], [0.0]).to_dict()
>>> spec["layer"][0]["mark"]["type"]
'line'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import ACTION_COLORS, message_chart

__all__ = ["spend_share_chart", "prediction_chart", "payoff_histogram", "qre_fit_chart", "qr_svg"]

_SPEND = ACTION_COLORS["Spend"]
_THEORY = "#555555"


def _titled(chart, title: str | None):
    """The chart with ``title`` (None: no title, e.g. when the page writes its own heading)."""
    return chart.properties(title=title) if title else chart


def _refs(equilibrium, optimum) -> pd.DataFrame:
    rows = [{"value": v, "what": f"Equilibrium {100 * v:.0f} %"} for v in equilibrium]
    rows += [{"value": v, "what": f"Social optimum {100 * v:.0f} %"} for v in optimum]
    return pd.DataFrame(rows, columns=["value", "what"])


def spend_share_chart(by_round, equilibrium, optimum, height: int = 300,
                      title: str | None = "Share choosing Spend, round by round") -> alt.Chart:
    """The class's share of Spend by round (orange) against the equilibrium (dashed) and optimum (dotted)."""
    if not by_round:
        return message_chart("No round revealed yet.")
    f = pd.DataFrame(by_round)
    base = alt.Chart(f).encode(
        x=alt.X("round:O", title="Round", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("share_spend:Q", title="Choosing Spend", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("round:O", title="Round"), alt.Tooltip("share_spend:Q", title="Spend", format=".0%"),
                 alt.Tooltip("decisions:Q", title="Decisions")])
    line = base.mark_line(color=_SPEND, strokeWidth=4, point=alt.OverlayMarkDef(size=120, color=_SPEND))
    refs = _refs(equilibrium, optimum)
    rule = alt.Chart(refs).mark_rule(strokeWidth=2, color=_THEORY).encode(
        y="value:Q", strokeDash=alt.StrokeDash("what:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("what:N", title="Theory")])
    return _titled(alt.layer(line, rule).properties(height=height), title)


def prediction_chart(predictions, rivals: int, height: int = 300,
                     title: str | None = "Predictions against outcomes") -> alt.Chart:
    """Mean predicted vs actual number of rivals spending, per round."""
    if not predictions:
        return message_chart("No predictions yet.")
    f = pd.DataFrame(predictions)
    long = f.melt(id_vars=["round", "students"], value_vars=["predicted", "actual"], var_name="what",
                  value_name="rivals")
    long["what"] = long["what"].map({"predicted": "Predicted", "actual": "Did spend"})
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("round:O", title="Round", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("what:N", sort=["Predicted", "Did spend"]),
        y=alt.Y("rivals:Q", title="Rivals spending (mean)", scale=alt.Scale(domain=[0, max(rivals, 1)])),
        color=alt.Color("what:N", title=None, sort=["Predicted", "Did spend"],
                        scale=alt.Scale(domain=["Predicted", "Did spend"], range=["#9e9ac8", _SPEND]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("round:O", title="Round"), alt.Tooltip("what:N", title=""),
                 alt.Tooltip("rivals:Q", title="Rivals", format=".2f")],
    ).properties(height=height)
    return _titled(chart, title)


def payoff_histogram(payoffs, height: int = 300, title: str | None = "What the students earned") -> alt.Chart:
    """Distribution of the students' payoffs per round ($B), coloured by their own action."""
    if not payoffs:
        return message_chart("No payoffs yet.")
    f = pd.DataFrame(payoffs)[["payoff", "action"]]
    chart = alt.Chart(f).mark_bar().encode(
        x=alt.X("payoff:Q", bin=alt.Bin(maxbins=20), title="Payoff in one round ($B)"),
        y=alt.Y("count():Q", title="Student-rounds", stack=True),
        color=alt.Color("action:N", title="Own choice", scale=alt.Scale(
            domain=list(ACTION_COLORS), range=list(ACTION_COLORS.values())), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("action:N"), alt.Tooltip("count():Q", title="Student-rounds")],
    ).properties(height=height)
    return _titled(chart, title)


def qre_fit_chart(lambdas, p_spend, observed: float | None, fit: dict | None, height: int = 300,
                  title: str | None = "Which noisy rationality fits the class?") -> alt.Chart:
    """P(Spend) on the logit QRE branch against λ (log axis), the class's share, the fitted λ."""
    lam = np.asarray(lambdas, dtype=float)
    p = np.asarray(p_spend, dtype=float)
    keep = lam > 0
    if not keep.any():
        return message_chart("No QRE curve.")
    curve = pd.DataFrame({"lam": lam[keep], "p": p[keep]})
    line = alt.Chart(curve).mark_line(color=_THEORY, strokeWidth=3).encode(
        x=alt.X("lam:Q", scale=alt.Scale(type="log"), title="Logit precision λ (per $B)"),
        y=alt.Y("p:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title="Share choosing Spend"),
        tooltip=[alt.Tooltip("lam:Q", title="λ", format=".3g"), alt.Tooltip("p:Q", title="QRE Spend", format=".0%")])
    layers = [line]
    if observed is not None:
        layers.append(alt.Chart(pd.DataFrame({"p": [observed], "what": ["The class"]})).mark_rule(
            color=_SPEND, strokeWidth=3).encode(y="p:Q", tooltip=[alt.Tooltip("p:Q", title="The class", format=".0%")]))
    if fit is not None:
        x = min(max(fit["lam"], float(lam[keep][0])), float(lam[-1]))
        layers.append(alt.Chart(pd.DataFrame({"lam": [x], "p": [fit["p_spend"]]})).mark_point(
            size=250, filled=True, color="black").encode(
            x="lam:Q", y="p:Q", tooltip=[alt.Tooltip("lam:Q", title="Best-fit λ", format=".3g"),
                                         alt.Tooltip("p:Q", title="Its Spend share", format=".0%")]))
    return _titled(alt.layer(*layers).properties(height=height), title)


def qr_svg(url: str, scale: int = 8) -> str:
    """The QR code of ``url`` as an SVG string (segno, pure Python)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buf.getvalue().decode()
