"""Guided tour: predict first, then see (after Nicky Case's "The Evolution of Trust").

Each step of :data:`dilemma.teaching.TOUR` asks for a prediction (a choice or
a number) before it reveals the answer the package computes, and says how
close the guess was (:func:`dilemma.teaching.score`). Each step has its own
link, ``tour?step=N``. The tour uses its own presets (the baseline and the
two-firm classroom game), whatever the sidebar shows.
"""

import streamlit as st

from dilemma import charts
from dilemma.lab.common import define, glossary, guard, show_chart_with_data, table_scale
from dilemma.tables import bimatrix_html
from dilemma.teaching import TOUR, options_of, score, tour_step

N = len(TOUR)
KEY = "tour_step"

st.title("Guided tour: predict, then see")
st.markdown(f"{N} short steps through the lab. Each asks you to **predict** before it shows the answer: "
            "commit to a guess, then see how close you were. The tour always uses the 2025 baseline or the "
            "two-firm classroom game, whatever the sidebar shows.")


@st.cache_resource(show_spinner="Working out the answer…")
def _answer(number: int):
    return tour_step(number).solve()


@st.cache_resource(show_spinner=False)
def _game(preset: str):
    from dilemma.scenario import load_preset

    return load_preset(preset).build_game()


def _current() -> int:
    if KEY not in st.session_state:
        raw = st.query_params.get("step")
        start = 1
        if raw is not None:
            try:
                start = int(raw)
                tour_step(start)
            except ValueError:
                st.warning(f"Ignored part of the link: step={raw!r} is not a step of the tour (1 to {N}); "
                           "starting at step 1.")
                start = 1
        st.session_state[KEY] = start
    return int(st.session_state[KEY])


def _go(number: int) -> None:
    st.session_state[KEY] = number


def render():
    number = _current()
    step = tour_step(number)
    if st.query_params.get("step") != str(number):
        st.query_params["step"] = str(number)
    st.progress(number / N, text=f"Step {number} of {N}")
    st.header(f"{number}. {step.title}")
    st.markdown(step.setup)
    if step.words:
        st.caption("Words: " + " · ".join(glossary(w) for w in step.words))
    st.markdown(f"#### {step.question}")
    guess_key, shown_key = f"tour_guess_{number}", f"tour_shown_{number}"
    if step.kind == "choice":
        guess = st.radio("Your prediction", options_of(step), index=None, key=guess_key, horizontal=True,
                         disabled=bool(st.session_state.get(shown_key)))
    else:
        guess = st.number_input(f"Your prediction ({step.unit})", min_value=float(step.low),
                                max_value=float(step.high), value=None, step=0.1, key=guess_key,
                                placeholder="type a number", disabled=bool(st.session_state.get(shown_key)))
    st.button("Reveal the answer", type="primary", disabled=guess is None, key=f"tour_reveal_{number}",
              on_click=lambda: st.session_state.__setitem__(shown_key, True))
    if guess is not None and st.session_state.get(shown_key):
        answer = _answer(number)
        result = score(guess, answer.value, step.unit)
        box = st.success if result.verdict in ("right", "spot on", "close") else st.warning
        box(f"**{result.text}**")
        st.markdown(answer.lesson)
        reveal(step)
    elif guess is None:
        st.caption("Make a prediction first: the answer appears after you commit to it.")
    c1, c2, c3 = st.columns(3)
    c1.button("← Previous step", on_click=_go, args=(number - 1,), disabled=number <= 1, width="stretch")
    c3.button("Next step →", on_click=_go, args=(number + 1,), disabled=number >= N, width="stretch",
              type="secondary")
    st.divider()
    st.caption("A link to each step (to share or to put on a slide): "
               + " · ".join(f"[{s.number}. {s.title}](tour?step={s.number})" for s in TOUR))


def reveal(step) -> None:
    """What the student sees with the answer: the table or chart behind it, and where to explore."""
    if step.number == 1:
        st.markdown(bimatrix_html(_game(step.preset), scale=table_scale()), unsafe_allow_html=True)
        st.caption("Alpha's payoff first, then Beta's ($B/yr). Underlined: a best response; outlined: the "
                   "Nash equilibrium. " + define("prisoners-dilemma"))
    elif step.number == 4:
        from dilemma.analysis import analyse

        game = _game(step.preset)
        frame = charts.all_cut_frame(analyse(game)["all_cut"])
        show_chart_with_data(("tour_all_cut", tuple(game.players)), lambda: charts.all_cut_chart(frame), frame)
    pages = {"": "The dilemma (one year)", "regime-map": "Regime map", "repeated": "Repeated play",
             "tournament": "Tournament and evolution"}
    st.markdown(f"**Explore it yourself:** [{pages[step.page]}]({step.page or '/'})"
                + (" (pick the classroom preset in the sidebar)" if step.preset != "2025-baseline" else ""))


guard(render)
