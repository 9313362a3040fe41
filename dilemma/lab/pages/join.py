"""The students' page (``/join?room=CODE``): take a seat, predict, choose, see the result.

Small on purpose (a phone at 390 px, up to 200 students at once): no sidebar,
a handful of elements per rerun, and the live part is one fragment polling
the database every few seconds. Everything comes from
:class:`dilemma.classroom.Classroom`; nothing lives only in this session.

The seat token is kept twice: in the page's link (``&seat=...``, so reloading
keeps the seat) and in a cookie set on the page (so opening the plain join
link again on the same phone returns the same seat). A link preview in a chat
app takes no seat: taking one needs a click.
"""

import streamlit as st

from dilemma.classroom.errors import ClassroomError, SeatError, UnknownRoom
from dilemma.lab.classroom_common import (POLL_STUDENT, cookie_name, escape_md, get_store, money,
                                          set_cookie_script, term_label)

st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {display: none;}
[data-testid="stMainBlockContainer"] {max-width: 34rem; padding-top: 1.5rem;}
</style>""", unsafe_allow_html=True)

store = get_store()
code = (st.query_params.get("room") or "").strip().upper()


def _ask_code(message: str | None = None) -> None:
    st.title("Join a class")
    if message:
        st.error(message)
    with st.form("code"):
        typed = st.text_input("Room code (on the projector)", max_chars=8, key="code")
        if st.form_submit_button("Go", type="primary"):
            st.query_params["room"] = typed.strip().upper()
            st.rerun()


if not code:
    _ask_code()
    st.stop()
try:
    room = store.room(code)
except UnknownRoom as exc:
    _ask_code(str(exc))
    st.stop()

def _cookie(name: str):
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value else None


token = st.query_params.get("seat") or _cookie(cookie_name(room.code))
seat = None
if token:
    try:
        seat = store.seat(room.code, token)
    except SeatError as exc:
        st.error(f"{exc}")
        if "seat" in st.query_params:
            del st.query_params["seat"]
        token = None

if seat is None:
    st.title(f"Room {room.code}")
    st.markdown(f"**{escape_md(room.title)}**: {room.settings.rounds} round(s). You play one firm; "
                "in each round you choose **Spend** or **Cut**.")
    with st.form("seat"):
        label = st.text_input("Your name or nickname (optional, shown to the lecturer)", max_chars=40, key="label")
        if st.form_submit_button("Take a seat", type="primary", width="stretch", key="take_seat"):
            try:
                seat = store.join(room.code, label)
            except ClassroomError as exc:
                st.error(str(exc))
            else:
                st.query_params["seat"] = seat.token
                st.session_state["_new_seat"] = seat.token
                st.rerun()
    st.stop()

if _cookie(cookie_name(room.code)) != seat.token and st.session_state.get("_cookie_set") != seat.token:
    set_cookie_script(room.code, seat.token)
    st.session_state["_cookie_set"] = seat.token
if st.query_params.get("seat") != seat.token:
    st.query_params["seat"] = seat.token


def _submit(round_no: int, action: str) -> None:
    """Form callback: one decision to the database (errors are shown on the next run)."""
    pred = st.session_state.get(f"pred-{round_no}")
    if room.settings.predict and pred is None:
        st.session_state["_error"] = "prediction: pick how many rivals will spend first, then choose."
        return
    try:
        store.submit(room.code, seat.token, action, prediction=pred)
    except ClassroomError as exc:
        st.session_state["_error"] = str(exc)


@st.fragment(run_every=POLL_STUDENT)
def play() -> None:
    if st.session_state.get("_error"):
        st.error(st.session_state.pop("_error"))
    try:
        v = store.student_view(room.code, seat.token)
    except ClassroomError as exc:
        st.error(str(exc))
        return
    info = v.room.info
    s = v.room.settings
    who = f"{seat.code}" + (f" · {escape_md(seat.label)}" if seat.label else "")
    head = f"Round {v.round} of {s.rounds}" if v.round else "Waiting to start"
    st.markdown(f"### Room {room.code} · {head}")
    if v.player is None:
        st.caption(who)
        if v.round == 0:
            st.info("You have a seat. Wait for the lecturer to start round 1.")
        elif v.room.finished:
            st.info(f"The session is over. Your total: {money(v.total_payoff)}.")
        else:
            st.info("You joined during this round: you play from the next round.")
        return
    firm = info.game.players[v.player]
    st.markdown(f"You are **{escape_md(firm)}** ({who}); group {v.group}.")
    rivals = info.n - 1
    if v.phase == "open" and v.action is None:
        _table(info, v.player)
        with st.form(f"decide-{v.round}", border=False):
            if s.predict:
                st.segmented_control(f"First: how many of your {rivals} rival(s) will **spend**?",
                                     list(range(rivals + 1)), key=f"pred-{v.round}")
            st.markdown("Then choose:")
            c1, c2 = st.columns(2)
            c1.form_submit_button(info.action_name(v.player, int(info.spend[v.player])), type="primary",
                                  width="stretch", key="spend", on_click=_submit, args=(v.round, "Spend"))
            c2.form_submit_button(info.action_name(v.player, int(1 - info.spend[v.player])), width="stretch",
                                  key="cut", on_click=_submit, args=(v.round, "Cut"))
        return
    if v.action is not None:
        mine = info.action_name(v.player, v.action)
        note = " (time ran out: a bot chose for you)" if v.decided_by == "timeout" else ""
        st.markdown(f"Your choice: **{mine}**{note}"
                    + (f"; you expect {v.prediction} of {rivals} rival(s) to spend." if v.prediction is not None else "."))
    if v.phase == "open":
        st.info(f"Waiting for {v.waiting_for} other(s) to decide…" if v.waiting_for else "Everyone has decided.")
    elif v.phase == "closed":
        st.info("Round closed. The results come on the projector in a moment…")
    elif v.phase == "revealed":
        _result(info, v)


def _table(info, player) -> None:
    import pandas as pd

    rows = info.own_table(player)
    spend_name = info.action_name(player, int(info.spend[player]))
    cut_name = info.action_name(player, int(1 - info.spend[player]))
    def situation(k: int) -> str:
        if info.n == 2:
            return "Your rival spends" if k else "Your rival cuts"
        return f"{k} of {info.n - 1} rivals spend"

    frame = pd.DataFrame({"If": [situation(r["rivals_spending"]) for r in rows],
                          f"You {spend_name}": [money(r["spend"]) for r in rows],
                          f"You {cut_name}": [money(r["cut"]) for r in rows]})
    st.caption("Your payoff this year ($B of shareholder value), by what your rivals do"
               + ("" if info.n <= 2 else " (average over which rivals)") + ":")
    st.table(frame, hide_index=True)


def _result(info, v) -> None:
    import pandas as pd

    me = next((r for r in v.group_outcome if r["you"]), None)
    if me is None:
        return
    st.metric("Your payoff this round", money(me["payoff"]), help="$B of shareholder value this year")
    group = pd.DataFrame({
        "Firm": [info.game.players[r["player"]] for r in v.group_outcome],
        "Who": ["you" if r["you"] else ("bot" if r["participant_id"] is None else "student")
                for r in v.group_outcome],
        "Chose": [info.action_name(r["player"], r["action"]) for r in v.group_outcome],
        "Payoff": [money(r["payoff"]) for r in v.group_outcome]})
    st.table(group, hide_index=True)
    if me["terms"]:
        with st.expander("Where your payoff comes from"):
            st.table(pd.DataFrame({"Term": [term_label(k) for k in me["terms"]],
                                   "$B": [money(x) for x in me["terms"].values()]}), hide_index=True)
    if v.room.finished:
        st.success(f"The session is over. Your total over {v.round} round(s): {money(v.total_payoff)}.")
    else:
        st.caption(f"Your total so far: {money(v.total_payoff)}. Waiting for round {v.round + 1}…")


play()
