"""dilemma lab: the entry script Streamlit runs (``dilemma lab``, or ``streamlit run app.py`` in a checkout).

It sits in a folder of its own on purpose: Streamlit treats a ``pages/`` folder
beside the main script as an old-style (v1) multipage app and then runs a
requested page *without* this script, so the sidebar would never be drawn.

Thin front end: the sidebar (:mod:`dilemma.lab.common`) turns the widgets into a
scenario, each page in ``pages/`` calls the ``dilemma`` package and renders what
it returns. Nothing here computes a payoff or an equilibrium.
"""

import streamlit as st

st.set_page_config(page_title="dilemma lab: the AI capex game", page_icon=":material/balance:", layout="wide")

from dilemma.lab.common import sidebar  # noqa: E402  (after set_page_config)
from dilemma.lab.navigation import ALL_PAGES, is_student_url  # noqa: E402

if "_pages" not in st.session_state:  # built once per session: ten st.Page objects cost ~1 ms a rerun
    st.session_state["_pages"] = [
        st.Page(p.path, title=p.title, icon=p.icon, default=p.default,
                visibility="visible" if p.sidebar else "hidden", **({"url_path": p.url_path} if p.url_path else {}))
        for p in ALL_PAGES]
page = st.navigation(st.session_state["_pages"], position="hidden" if is_student_url(st.context.url) else "sidebar")
if next(p for p in ALL_PAGES if p.title == page.title).sidebar:   # the students' page has no sidebar
    st.session_state["lab"] = sidebar()
page.run()
