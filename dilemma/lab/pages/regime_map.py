"""Page 2: the regime map: which game is played where, over any two parameters."""

import numpy as np
import streamlit as st

from dilemma.charts.regime import regime_chart
from dilemma.lab.state import SETTINGS, slider_spec
from dilemma.parameters import MARKET_PARAMS, param
from dilemma.lab.common import (SCENARIO_HASH, SLIDERS_WHERE, define, glossary, guard, scenario_key, show_chart,
                                url_choice)

lab = st.session_state["lab"]
scenario = lab.scenario

st.title("Regime map: where does the dilemma hold?")
st.markdown(
    "Every cell is one setting of two parameters; its colour is the **type of game** the firms play "
    f"there (or its equilibria). The black cross marks the current sliders. Move a slider {SLIDERS_WHERE} "
    "and watch the cross cross a border: that is where the dilemma turns into a "
    f"{glossary('stag-hunt', 'stag hunt')}, {glossary('chicken')}, or no dilemma at all "
    f"({glossary('harmony')})."
)


@st.cache_data(show_spinner="Solving every cell of the map…", max_entries=64, hash_funcs=SCENARIO_HASH)
def _sweep(scenario, x, y, res):
    from dilemma.sweep import sweep

    axes = {}
    for path in (x, y):
        if not path.startswith("players."):
            p = param(path)
            axes[path] = np.linspace(p.low, p.high, res)
        else:  # a firm's field: from its lower bound to twice today's value
            f = param(path.rsplit(".", 1)[1])
            now = scenario.value(path)
            axes[path] = np.linspace(max(f.low, 0.0), min(f.high, max(now * 2.0, f.low + 1.0)), res)
    return sweep(scenario, axes)


def _label(path: str) -> str:
    if path.startswith("players."):
        _, firm, fld = path.split(".")
        f = param(fld)
        return f"{firm}: {f.label} ({f.unit})"
    return slider_spec(param(path)).label


def render():
    if scenario.kind != "model":
        st.warning("A regime map needs a model scenario: an explicit game has no parameters to vary. "
                   "Pick one of the 2025 presets in the sidebar.")
        return
    paths = [p.path for p in MARKET_PARAMS if p.section != "dynamics"]
    paths += [f"players.{n}.{f}" for n in scenario.player_names for f in ("capex", "market_value", "edge")]
    c1, c2 = st.columns(2)                   # the axis names are long: a row of their own
    c3, c4 = st.columns(2)
    # choices kept in the link by name (x=market.punishment), not by their long labels
    x = url_choice("x", paths, c1.selectbox, "Horizontal axis", format_func=_label)
    y_opts = [p for p in paths if p != x]
    y = url_choice("y", y_opts, c2.selectbox, "Vertical axis", format_func=_label)
    color = url_choice("color", ["game_type", "equilibria"], c3.selectbox, "Colour shows",
                       format_func={"game_type": "Type of game", "equilibria": "Equilibria"}.get)
    res_setting = SETTINGS["res"]
    if lab.presenter:
        res = res_setting.default
    else:
        res = c4.slider("Cells per axis", int(res_setting.low), int(res_setting.high), int(res_setting.default),
                        step=2, key="res", bind="query-params", help="More cells: a finer map, a slower page.")
    frame = _sweep(scenario, x, y, int(res))
    current = {x: scenario.value(x), y: scenario.value(y)}
    show_chart(("regime", scenario_key(scenario), x, y, color, int(res)),
               lambda: regime_chart(frame, x, y, color=color, current=current,
                                    title=f"Regime map: {scenario.title}", width="container", height=520),
               width="stretch")

    counts = frame["game_type"].value_counts(normalize=True)
    from dilemma.equilibria.classify import TYPE_LABELS

    here = scenario.title
    st.caption("Share of the map: " + ", ".join(f"{TYPE_LABELS.get(k, k)} {v:.0%}" for k, v in counts.items())
               + f". Scenario: {here}. The rest of the parameters stay at the sidebar's values.")
    notes = []
    if counts.get("other", 0) > 0:
        notes.append(f"**Grey, “Other” ({counts['other']:.0%} of this map):** " + define("other-type")
                     + f" {glossary('other-type', 'More in the glossary.')}")
    if "market.punishment" in (x, y):
        notes.append("**A negative market punishment** means the market *rewards* a cut: a firm's share price "
                     "rises when it scales its AI capex back (investors fear over-building more than falling "
                     "behind). Left of 0 % restraint is paid for, right of it punished.")
    for note in notes:
        st.markdown(note)
    with st.expander("How to read the colours"):
        from dilemma.equilibria.classify import TYPES, describe_type

        # the one table of type descriptions (classify), its head in bold
        st.markdown("\n".join("- **{}**: {}".format(*describe_type(t).partition(": ")[::2]) for t in TYPES))
    st.download_button("Download the map's table (.csv)", frame.to_csv(index=False), file_name="regime-map.csv",
                       mime="text/csv")


guard(render)
