"""dilemma lab: ``streamlit run app.py``.

Thin front end: the sidebar (lab/common.py) turns the widgets into a
scenario, each page in lab/ calls the ``dilemma`` package and renders what it
returns. Nothing here computes a payoff or an equilibrium.
"""

import streamlit as st

st.set_page_config(page_title="dilemma lab: the AI capex game", page_icon=":material/balance:", layout="wide")

from lab.common import sidebar  # noqa: E402  (after set_page_config)

PAGES = [
    st.Page("lab/one_shot.py", title="The dilemma (one year)", icon=":material/balance:", default=True),
    st.Page("lab/regime_map.py", title="Regime map", icon=":material/map:", url_path="regime-map"),
    st.Page("lab/repeated.py", title="Repeated play", icon=":material/replay:", url_path="repeated"),
    st.Page("lab/tournament.py", title="Tournament and evolution", icon=":material/emoji_events:", url_path="tournament"),
    st.Page("lab/scenario_page.py", title="Scenario and downloads", icon=":material/description:", url_path="scenario"),
]

page = st.navigation(PAGES)
st.session_state["lab"] = sidebar()
page.run()
