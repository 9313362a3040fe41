"""Page 1: the one-year game: payoffs, equilibria, the game's type and why."""

import pandas as pd
import streamlit as st

from dilemma import charts
from dilemma.lab.state import SETTINGS, parse_profile, profile_code
from dilemma.lab.common import (SLIDERS_WHERE, analysis_of, define, firm_table, game_of, glossary, guard, memo, money,
                                show_setting_chart, small_multiples, table_scale)
from dilemma.tables import bimatrix_html, equilibria_html, money_change, rivals_html
from dilemma.verdicts import horizon_text, restraint_verdict, threshold_text

lab = st.session_state["lab"]
scenario = lab.scenario

st.title("The dilemma: one year, one decision")
st.markdown(
    "Each firm decides whether to **Spend** (keep its AI capex plan) or **Cut** (scale it back). "
    f"Payoffs are in **$B of shareholder value per year**. Move the sliders {SLIDERS_WHERE} and watch the "
    f"{glossary('nash-equilibrium', 'equilibrium')} and the game's type change."
)


def render():
    game = game_of(scenario)
    a = analysis_of(scenario)
    n = game.n_players

    # ---- the headline --------------------------------------------------------
    eq_labels = [e["label"] for e in a["equilibria"]]
    kind = a["game_type_label"] if a["game_type"] != "other" else "no classic type"
    st.markdown(f"### The game: **{kind}**\n\n**Equilibrium:** " + (
        " | ".join(eq_labels) if len(eq_labels) <= 4 else f"{len(eq_labels)} equilibria, listed below"))
    c1, c2, c3 = st.columns(3)
    c1.metric("Nash equilibria", len(eq_labels) if a["exhaustive"] else f"{len(eq_labels)} found",
              help=define("nash-equilibrium") + " Here: " + "; ".join(eq_labels))
    if a.get("all_cut"):
        spend_total = sum(a["all_cut"]["all_spend"].values())
        cut_total = sum(a["all_cut"]["all_cut"].values())
        before, after, gain = money_change(spend_total, cut_total)
        c2.metric("Gain if all cut instead of all spend", gain + "/yr",
                  help=f"All firms together: {before} a year when all spend, {after} when all cut.")
    cdf = a.get("critical_discount_factor")
    verdict = None
    if cdf and scenario.kind == "model" and n >= 2 and all(len(x) == 2 for x in game.actions):
        verdict = guard(memo, "verdict", lab.key, lambda: restraint_verdict(
            game, SETTINGS["horizon"].default, scenario.values["demand.discount_rate"]))
    if cdf:
        c3.metric("Restraint (all cut) can last if", threshold_text(cdf["binding"]),
                  help=define("delta") + " Grim trigger: every firm cuts until someone spends, then all spend "
                       "forever." + (f" Binding firm: {cdf['binding_player']} (the most tempted)."
                                     if cdf["binding"] is not None else ""))
        if verdict is not None and verdict.kind in ("holds", "fails"):
            c3.caption(f"That is, managers look at least **{horizon_text(verdict.horizon_needed)}** ahead "
                       f"(δ = exp(−(r + 1/H)) with r = {verdict.rate:.0%}). {glossary('delta', 'What is δ?')} · "
                       "[Repeated play](repeated)")
        elif verdict is not None:
            c3.caption(verdict.reason + f" {glossary('delta', 'What is δ?')}")

    st.info(a.get("explanation") or a["game_type_description"])

    if not lab.presenter and scenario.kind == "model":
        # drawn only while open (a closed table's data editor cost a tenth of every rerun)
        box = st.expander("The firms ($B): market value, capex, cash flow, debt — edit them here",
                          key="open_firms", on_change="rerun")
        if box.open:
            with box:
                st.caption("Edits apply at once and are kept in the page's link.")
                firm_table(lab)

    # ---- equilibria and efficiency ---------------------------------------------
    left, right = st.columns([3, 2])
    with left:
        # a static table (nothing here is edited) that scrolls sideways on a phone and grows with the
        # presenter's type, built once per setting; a data grid cost about a tenth of a rerun
        scale = table_scale()
        st.markdown("### Equilibria\n\n" + memo("equilibria_html", (lab.key, scale),
                                                   lambda: equilibria_html(a, scale)),
                    unsafe_allow_html=True)
        st.caption("Payoffs in $B/yr per firm. " + ("This is the complete list." if a["exhaustive"] else
                   "The list may be incomplete: the search for mixed equilibria stopped at its budget "
                   "(see the solver notes)."))
        if a["notes"]:
            with st.expander("Solver notes"):
                for note in a["notes"]:
                    st.markdown(f"- {note}")
    with right:
        eff = a["efficiency"]
        worst, best, gap = money_change(eff["worst_equilibrium_welfare"], eff["optimum_welfare"])
        text = (f"### Efficiency\n\n**Best for all together:** {' | '.join(eff['social_optimum'])} "
                f"(total {best}/yr).  \n"
                f"**Worst equilibrium:** total {worst}/yr, "
                f"a gap of **{gap}/yr** left on the table.")
        dom = a["dominance"]["dominant"]
        if any(v is not None for v in dom.values()):
            text += "\n\n**Dominant actions** (best whatever the others do): " + ", ".join(
                f"{p} {v}" for p, v in dom.items() if v is not None) + "."
        st.markdown(text)  # one element, not three: every element costs the server a message

    # ---- the game ------------------------------------------------------------
    if n == 2:
        scale = table_scale()
        st.markdown("### Payoff matrix\n\n" + memo("bimatrix", (lab.key, scale), lambda: bimatrix_html(game, scale)),
                    unsafe_allow_html=True)
        st.caption(f"Rows: {game.players[0]}'s action, columns: {game.players[1]}'s. Each cell: "
                   f"{game.players[0]}'s payoff first, then {game.players[1]}'s ($B/yr). Underlined: a "
                   f"{glossary('best-response', 'best response')} to the other's action; outlined: a Nash "
                   "equilibrium (both underlined).")
    elif all(len(acts) == 2 for acts in game.actions):
        st.subheader("Each firm against how many rivals spend")
        scale = table_scale()
        st.markdown(memo("rivals", (lab.key, scale), lambda: rivals_html(game, scale)), unsafe_allow_html=True)
        st.caption("Each firm's payoff ($B/yr) when it spends and when it cuts, by how many of the other "
                   f"{n - 1} firms spend. Underlined: the better action there (a best response); outlined: the "
                   "firm's cell in an equilibrium where all spend or all cut. With firms that differ, a column "
                   "averages over which rivals spend.")
        st.subheader("Schelling diagram")
        st.caption(f"The same numbers as lines ({glossary('schelling-diagram', 'what is a Schelling diagram?')}): "
                   "where the orange Spend line is above the teal Cut line, spending pays.")
        sch, frame = memo("schelling", lab.key, lambda: _schelling(game))
        small_multiples(("schelling1", tuple(game.players)), game.players,
                        lambda rows: charts.schelling_chart(sch[sch["player"] == rows["player"].iloc[0]],
                                                            player=rows["player"].iloc[0]), frame,
                        data_key=("schelling1", lab.key))
        st.caption("The advantage of spending, Δ = Spend − Cut: above zero everywhere → spending "
                   f"dominates; a sign change → a tipping point ({glossary('stag-hunt', 'stag hunt')}) or a stable "
                   f"mix ({glossary('chicken')}).")
        show_setting_chart(("delta", lab.key),
                           lambda: (("delta", tuple(game.players)), lambda: charts.delta_chart(sch), sch))
    else:
        st.subheader("Payoffs")
        st.dataframe(pd.DataFrame([{**dict(zip(a["players"], o["profile"])),
                                    **{f"payoff {p}": v for p, v in zip(a["players"], o["payoffs"])}}
                                   for o in a["outcomes"] or []]), hide_index=True)

    # ---- why a payoff is what it is --------------------------------------------
    if game.breakdown is not None:
        st.subheader("Why a payoff is what it is")
        c1, c2 = st.columns([1, 2])
        with c1:
            firm = st.selectbox("Firm", list(game.players), key="firm", bind="query-params")
            i = list(game.players).index(firm)
            labels = memo("profiles", (tuple(game.players), tuple(map(tuple, game.actions))),
                          lambda: _profile_labels(game))
            codes = list(labels)
            first = profile_code(a_profile(a, game), game.actions)
            code = st.selectbox("Who spends and who cuts", codes, index=codes.index(first),
                                format_func=labels.__getitem__, key="profile", bind="query-params",
                                help="The action profile whose payoff is broken down (default: the first "
                                     "equilibrium).")
            profile = parse_profile(code, game.actions)
            total = float(game.payoffs[profile + (i,)])
            st.metric(f"{firm}'s payoff", money(total) + " /yr")
        with c2:
            # one spec per layout (firm, term labels, action order), refilled with this setting's numbers
            show_setting_chart(("breakdown", lab.key, i, code), lambda: _breakdown(game, i, firm, profile))
        st.caption("Solid bars: the chosen profile. Light bars: the same profile if this firm switched its own "
                   "action (orange: it spends, teal: it cuts). The terms where they differ most are why the "
                   "firm prefers one action.")

    if a.get("all_cut"):
        st.subheader("Each firm's payoff: all spend against all cut")
        show_setting_chart(("all_cut", lab.key), lambda: _all_cut(a["all_cut"], game.players))


def _schelling(game):
    sch = game.schelling()
    return sch, charts.schelling_frame(sch)


def _profile_labels(game) -> dict[str, str]:
    """Profile code -> its name on screen ("Alpha cuts, others spend"), every pure profile in order."""
    from dilemma.analysis import profile_label

    return {profile_code(p, game.actions): profile_label(game, tuple(p)) for p in game.profiles()}


def _breakdown(game, i, firm, profile):
    frame = charts.breakdown_frame(game, i, profile)
    return (("breakdown", firm) + charts.breakdown_layout(frame), lambda: charts.breakdown_chart(frame, firm),
            charts.breakdown_chart_data(frame))


def _all_cut(all_cut, players):
    frame = charts.all_cut_frame(all_cut)
    return ("all_cut", tuple(players)), lambda: charts.all_cut_chart(frame), frame


def a_profile(a, game):
    """The first equilibrium's pure profile, or all spend."""
    for e in a["equilibria"]:
        if e["kind"] == "pure":
            return tuple(int(max(range(len(s)), key=s.__getitem__)) for s in e["strategy"])
    return tuple(0 for _ in range(game.n_players))


guard(render)
