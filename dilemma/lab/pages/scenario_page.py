"""Page 5: choose, upload and download scenarios; download results and charts."""

import pandas as pd
import streamlit as st

from dilemma import ScenarioError, charts
from dilemma.lab.state import read_upload, retitled
from dilemma.payoffs import TERM_LABELS, TERMS
from dilemma.lab.common import SCENARIO_HASH, UPLOADED, analysis_of, game_of, guard, select_scenario

lab = st.session_state["lab"]
scenario = lab.scenario

st.title("Scenario and downloads")
st.markdown(
    "Pick a scenario in the sidebar, or upload your own TOML file (see *docs/howto/write-a-scenario.md*). "
    "Download the scenario with your slider settings, the payoff table and the charts."
)


def _upload() -> None:
    f = st.session_state.get("upload")
    if f is None:
        return
    try:
        uploaded = read_upload(f.getvalue(), f.name)
    except ScenarioError as exc:
        st.session_state["upload_error"] = str(exc)
        return
    st.session_state.pop("upload_error", None)
    st.session_state["uploaded_scenario"] = uploaded
    st.session_state["upload_ok"] = True
    select_scenario(UPLOADED)


def render():
    st.subheader("Your own scenario")
    st.file_uploader("Upload a scenario (.toml)", type=["toml"], key="upload", on_change=_upload,
                     help="A model scenario ([[players]] + parameters) or an explicit game ([game]). "
                          "If the file is not valid, the lab keeps what it had and says what is wrong.")
    if st.session_state.get("upload_error"):
        st.error(f"This file is not a valid scenario, so nothing changed: {st.session_state['upload_error']}")
    elif st.session_state.pop("upload_ok", None):
        st.success(f"Loaded “{st.session_state['uploaded_scenario'].title}”: it is now the scenario in the "
                   "sidebar, on every page.")

    st.subheader("Download")
    stem = (lab.preset if lab.preset != UPLOADED else "uploaded").replace("/", "-")
    c1, c2, c3 = st.columns(3)
    game = game_of(scenario)
    a = analysis_of(scenario)
    kind = a["game_type_label"] if a["game_type"] != "other" else "no classic type"
    download = retitled(lab.base, scenario, kind)   # the preset's title would name the old game
    c1.download_button("Scenario with these settings (.toml)", download.to_toml(), file_name=f"{stem}.toml",
                       mime="application/toml", width="stretch")
    if download is not scenario:
        st.caption(f"The file is titled “{download.title}”; its description lists what you changed.")
    table = payoff_table(scenario)
    c2.download_button("Payoff table (.csv)", table.to_csv(index=False), file_name=f"{stem}-payoffs.csv",
                       mime="text/csv", width="stretch")
    eq = pd.DataFrame([{"equilibrium": e["label"], "kind": e["kind"],
                        **{f"payoff {p}": v for p, v in zip(a["players"], e["payoffs"])},
                        **{f"P({p} {act})": q for p, s, acts in zip(a["players"], e["strategy"], a["actions"])
                           for act, q in zip(acts, s)}} for e in a["equilibria"]])
    c3.download_button("Equilibria (.csv)", eq.to_csv(index=False), file_name=f"{stem}-equilibria.csv",
                       mime="text/csv", width="stretch")

    st.markdown("**Charts** (rendered offline, no internet needed)")
    c1, c2 = st.columns(2)
    if not charts.export_available():
        st.info(charts.EXPORT_HINT + " (then restart the lab).")
    else:
        if c1.button("Prepare PNG", width="stretch"):
            st.session_state["png"] = charts.chart_to_png(main_chart(game))
        if st.session_state.get("png"):
            c1.download_button("Download chart (.png)", st.session_state["png"], file_name=f"{stem}.png",
                               mime="image/png", width="stretch")
        c2.download_button("Download chart (.svg)", _svg(scenario), file_name=f"{stem}.svg",
                           mime="image/svg+xml", width="stretch")

    st.subheader("The payoff table")
    st.caption("One row per action profile and firm; the terms (costs negative) add up to the payoff.")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in table.columns
                                if c.endswith("($B/yr)")})
    with st.expander("The scenario file (TOML)"):
        st.code(download.to_toml(), language="toml")


def main_chart(game):
    if game.n_players == 2:
        return charts.payoff_matrix_chart(charts.payoff_matrix_frame(game))
    # one row of panels: a wrapped facet grid leaves an empty panel with an axis (5 firms in 3 columns)
    return charts.schelling_chart(game.schelling(), columns=game.n_players)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=SCENARIO_HASH)
def _svg(scenario) -> str:
    """The main chart as SVG (rendered offline by vl-convert: too slow to redo on every rerun)."""
    return charts.chart_to_svg(main_chart(game_of(scenario)))


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=SCENARIO_HASH)
def _table(scenario) -> pd.DataFrame:
    import numpy as np

    game = game_of(scenario)
    rows = []
    for prof in np.ndindex(*game.shape):
        for i, p in enumerate(game.players):
            row = {**{f"{q} plays": game.actions[k][a] for k, (q, a) in enumerate(zip(game.players, prof))},
                   "Firm": p, "Payoff ($B/yr)": float(game.payoffs[prof + (i,)])}
            if game.breakdown is not None:
                row.update({f"{TERM_LABELS[t]} ($B/yr)": float(game.breakdown[t][prof + (i,)]) for t in TERMS})
            rows.append(row)
    return pd.DataFrame(rows)


def payoff_table(scenario) -> pd.DataFrame:
    """One row per action profile and firm, with the payoff's terms (cached per scenario)."""
    return _table(scenario)


guard(render)
