"""Classroom (lecturer): open a room, project the code, run the rounds, reveal the class against the theory.

Inputs: the scenario in the sidebar (any preset, a textbook game, or a file
uploaded here), rounds, group size, matching, predictions, the bots'
strategy, the lecturer key. The room lives in the database
(:class:`dilemma.classroom.Classroom`); this page only collects inputs, calls
the store and the analysis (:mod:`dilemma.classroom.analysis`) and renders the
charts of :mod:`dilemma.charts.classroom`. The open room is in the link
(``?room=CODE``), so the projector survives a reload; the lecturer key is
asked once per browser session and never put in the link.
"""

import io

import streamlit as st

from dilemma.classroom.errors import ClassroomError, UnknownRoom
from dilemma.classroom.rules import DEFAULT_BOTS, MATCHINGS, MAX_ROUNDS, bot_strategies
from dilemma.errors import DilemmaError
from dilemma.lab.classroom_common import (POLL_PROJECTOR, base_url, escape_md, get_store,
                                          lecturer_key_default)

lab = st.session_state["lab"]
store = None
keys = st.session_state.setdefault("lecturer_keys", {})

st.title("Classroom: the class plays the capex game")


@st.cache_data(show_spinner="Fitting the logit QRE to the class…", max_entries=64)
def _analysis(code: str, round_no: int, phase: str):
    from dilemma.classroom.analysis import analyse_class, qre_curve

    room = get_store().room(code)
    rows = get_store().results(code)
    a = analyse_class(room.info, rows)
    lams, probs = qre_curve(room.info)
    return a, lams, probs.mean(axis=1)


def _create_form() -> None:
    from dilemma.scenario import loads_scenario

    st.markdown("Students join on their phones with a room code, choose **Spend** or **Cut** each round, "
                "and the projector shows their play against the equilibrium, the social optimum and a "
                "noisy-rationality (logit QRE) fit.")
    scenario = lab.scenario
    st.markdown(f"**Scenario:** {escape_md(scenario.title)} ({scenario.n_players} firms), as set in the "
                "sidebar. Pick another there, or upload a scenario file for this room:")
    up = st.file_uploader("Scenario file (TOML)", type=["toml"], key="room_upload", label_visibility="collapsed")
    if up is not None:
        try:
            scenario = loads_scenario(up.getvalue(), source=up.name)
        except DilemmaError as exc:
            st.error(str(exc))
            return
        st.markdown(f"**This room plays the uploaded scenario:** {escape_md(scenario.title)} "
                    f"({scenario.n_players} firms).")
    n = scenario.n_players
    with st.form("create_room"):
        c1, c2 = st.columns(2)
        rounds = c1.number_input("Rounds", min_value=1, max_value=MAX_ROUNDS, value=3, step=1)
        group = c2.number_input("Students per group", min_value=1, max_value=n, value=n, step=1,
                                help=f"Each group plays the whole {n}-firm game; firms without a student "
                                     "are played by bots.")
        matching = c1.radio("Matching", MATCHINGS, horizontal=True,
                            format_func={"partners": "Fixed partners", "strangers": "Strangers (new groups each round)"}.get)
        predict = c2.toggle("Students predict first", value=True,
                            help="Before choosing, each student guesses how many rivals will spend.")
        bots = st.selectbox("Bots play", bot_strategies(), index=bot_strategies().index(DEFAULT_BOTS),
                            help="Strategy of the bots that fill incomplete groups (and of students who do "
                                 "not decide in time).")
        default_key = lecturer_key_default()
        key_in = st.text_input("Lecturer key", type="password", key="new_key",
                               help="Needed to start, close and reveal rounds and to export. This server's key "
                                    "(DILEMMA_LECTURER_KEY or Streamlit secrets) if it has one; otherwise type "
                                    "your own, or leave it empty and a new key is generated and shown once.",
                               placeholder="this server's key" if default_key else "empty: generate one")
        go = st.form_submit_button("Create the room", type="primary", key="create")
    if go:
        try:
            room, key = get_store().create_room(
                scenario, rounds=int(rounds), group_size=int(group), matching=matching, predict=predict,
                bots=bots, lecturer_key=key_in or None, scenario_name=lab.preset, server_key=default_key)
        except (DilemmaError, ClassroomError) as exc:
            st.error(str(exc))
            return
        from dilemma.classroom.analysis import qre_curve

        with st.spinner("Solving the game for the debrief (logit QRE curve)…"):
            qre_curve(room.info)        # cached per process: the first reveal does not wait for it
        keys[room.code] = key
        st.session_state["shown_key"] = {room.code: not key_in}
        st.query_params["room"] = room.code
        st.rerun()
    with st.expander("Open an existing room"):
        with st.form("open_room", border=False):
            typed = st.text_input("Room code", max_chars=8, key="open_code")
            if st.form_submit_button("Open"):
                st.query_params["room"] = typed.strip().upper()
                st.rerun()


def _header(room) -> None:
    from dilemma.charts.classroom import qr_svg
    from dilemma.cli.classroom import join_url

    url = join_url(room.code, base_url())
    left, right = st.columns([3, 1])
    with left:
        st.markdown(f"## Room {room.code} · {escape_md(room.title)}")
        st.markdown(f"Open **{url}** on your phone, or scan the code, and enter room")
        # the code is drawn from CODE_ALPHABET (letters and digits only): safe as HTML
        st.markdown(f'<div style="font-size:5.5rem;font-weight:800;letter-spacing:0.25em;line-height:1.1">'
                    f'{room.code}</div>', unsafe_allow_html=True)
        s = room.settings
        st.caption(f"{s.rounds} round(s) · {s.group_size} student(s) per group · {s.matching} · "
                   f"{'predictions' if s.predict else 'no predictions'} · bots: {s.bots}. The room plays the "
                   "scenario as it was when the room was created; the sidebar no longer changes it.")
    with right:
        st.image(qr_svg(url), width=220)
    if st.session_state.get("shown_key", {}).pop(room.code, False):
        st.warning(f"Lecturer key for room {room.code}: **{keys[room.code]}**. It is shown only now; "
                   "write it down to run this room from another browser or the command line.")


@st.fragment(run_every=POLL_PROJECTOR)
def _live(code: str) -> None:
    st_ = get_store().status(code)
    seen = st.session_state.get("_seen_phase")
    now = (code, st_["round"], st_["phase"])
    if seen is not None and seen != now:     # another window or the CLI moved the room on: redraw everything
        st.session_state["_seen_phase"] = now
        st.rerun(scope="app")
    st.session_state["_seen_phase"] = now
    phase = {"lobby": "waiting to start", "open": "open: students are choosing", "closed": "closed",
             "revealed": "revealed"}[st_["phase"]]
    c1, c2, c3 = st.columns(3)
    c1.metric("Seated", st_["seated"])
    c2.metric("Decided", f"{st_['decided']} of {st_['playing']}" if st_["phase"] != "lobby" else "–")
    c3.metric("Round", f"{st_['round']} of {st_['rounds']}" if st_["round"] else "not started")
    st.caption(f"Round {st_['round']}: {phase}" if st_["round"] else "Students are taking their seats.")


def _controls(room) -> None:
    key = keys.get(room.code)
    if key is None:
        with st.form("unlock", border=False):
            typed = st.text_input("Lecturer key (to run this room)", type="password", key="unlock_key")
            if st.form_submit_button("Unlock", key="unlock"):
                try:
                    get_store().check_key(room.code, typed)
                except ClassroomError as exc:
                    st.error(str(exc))
                else:
                    keys[room.code] = typed
                    st.rerun()
        return
    s = get_store()
    cols = st.columns(4)
    action = None
    if room.finished:
        cols[0].success("Session over")
    elif room.phase in ("lobby", "revealed"):
        if cols[0].button(f"Start round {room.round + 1}", type="primary", width="stretch", key="start"):
            action = s.start_round
    elif room.phase == "open":
        if cols[0].button(f"Close round {room.round}", type="primary", width="stretch",
                          help="No more choices; students who have not chosen are played by the bots.", key="close"):
            action = s.close_round
    elif room.phase == "closed":
        if cols[0].button(f"Reveal round {room.round}", type="primary", width="stretch", key="reveal"):
            action = s.reveal
    if action is not None:
        try:
            action(room.code, key)
        except ClassroomError as exc:
            st.error(str(exc))
        else:
            st.rerun()
    buf = io.StringIO()
    try:
        s.export_csv(room.code, key, buf)
    except ClassroomError as exc:
        st.error(str(exc))
        return
    cols[1].download_button("Export CSV", buf.getvalue(), file_name=f"class-{room.code}.csv", mime="text/csv",
                            width="stretch")
    if cols[3].button("Leave this room", width="stretch"):
        del st.query_params["room"]
        st.rerun()


def _results(room) -> None:
    from dilemma.charts import classroom as cc

    revealed = room.round if room.phase == "revealed" else room.round - 1
    if revealed < 1:
        return
    a, lams, p_spend = _analysis(room.code, room.round, room.phase)
    st.subheader("The class against the theory")
    st.info(a.debrief)
    # headings on the page, not in the charts: a layered chart's title can be clipped in a column
    left, right = st.columns(2)
    left.markdown("**Share choosing Spend, round by round**")
    left.altair_chart(cc.spend_share_chart(a.by_round, a.equilibrium, a.optimum, title=None), width="stretch")
    right.markdown("**Which noisy rationality fits the class?** Grey: logit QRE; orange: the class; dot: best fit")
    right.altair_chart(cc.qre_fit_chart(lams, p_spend, a.overall_spend, a.fit, title=None), width="stretch")
    left, right = st.columns(2)
    if room.settings.predict:
        left.markdown("**Predictions against outcomes** (mean rivals spending)")
        left.altair_chart(cc.prediction_chart(a.predictions, room.info.n - 1, title=None), width="stretch")
    right.markdown("**What the students earned** (per student and round)")
    right.altair_chart(cc.payoff_histogram(a.payoffs, title=None), width="stretch")


code = (st.query_params.get("room") or "").strip().upper()
if not code:
    _create_form()
else:
    try:
        room = get_store().room(code)
    except UnknownRoom as exc:
        st.error(str(exc))
        if st.button("Create a new room"):
            del st.query_params["room"]
            st.rerun()
    else:
        _header(room)
        _live(room.code)
        _controls(room)
        _results(room)
