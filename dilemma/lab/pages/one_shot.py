"""Page 1: the one-year game: payoffs, equilibria, the game's type and why."""

import pandas as pd
import streamlit as st

from dilemma import charts
from dilemma.lab.state import SETTINGS, parse_profile, profile_code
from dilemma.lab.common import (SLIDERS_WHERE, analysis_of, define, firm_table, game_of, glossary, guard, money,
                                show_chart_with_data, small_multiples, table_scale)
from dilemma.tables import bimatrix_html, money_change, rivals_html
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
    st.markdown(f"### The game: **{kind}**")
    st.markdown("**Equilibrium:** " + (" | ".join(eq_labels) if len(eq_labels) <= 4
                                       else f"{len(eq_labels)} equilibria, listed below"))
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
        verdict = guard(restraint_verdict, game, SETTINGS["horizon"].default,
                        scenario.values["demand.discount_rate"])
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
        st.subheader("Equilibria")
        rows = []
        for e in a["equilibria"]:
            rows.append({"equilibrium": e["label"], "kind": e["kind"],
                         **{p: round(v, 2) + 0.0 for p, v in zip(a["players"], e["payoffs"])}})  # no −0.0
        if lab.presenter:  # an HTML table grows with the presenter's type; a data grid does not
            st.table(pd.DataFrame(rows).set_index("equilibrium"))
        else:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.caption("Payoffs in $B/yr per firm. " + ("This is the complete list." if a["exhaustive"] else
                   "The list may be incomplete: the search for mixed equilibria stopped at its budget "
                   "(see the solver notes)."))
        if a["notes"]:
            with st.expander("Solver notes"):
                for note in a["notes"]:
                    st.markdown(f"- {note}")
    with right:
        st.subheader("Efficiency")
        eff = a["efficiency"]
        worst, best, gap = money_change(eff["worst_equilibrium_welfare"], eff["optimum_welfare"])
        st.markdown(f"**Best for all together:** {' | '.join(eff['social_optimum'])} "
                    f"(total {best}/yr).  \n"
                    f"**Worst equilibrium:** total {worst}/yr, "
                    f"a gap of **{gap}/yr** left on the table.")
        dom = a["dominance"]["dominant"]
        if any(v is not None for v in dom.values()):
            st.markdown("**Dominant actions** (best whatever the others do): " + ", ".join(
                f"{p} {v}" for p, v in dom.items() if v is not None) + ".")

    # ---- the game ------------------------------------------------------------
    if n == 2:
        st.subheader("Payoff matrix")
        st.markdown(bimatrix_html(game, scale=table_scale()), unsafe_allow_html=True)
        st.caption(f"Rows: {game.players[0]}'s action, columns: {game.players[1]}'s. Each cell: "
                   f"{game.players[0]}'s payoff first, then {game.players[1]}'s ($B/yr). Underlined: a "
                   f"{glossary('best-response', 'best response')} to the other's action; outlined: a Nash "
                   "equilibrium (both underlined).")
    elif all(len(acts) == 2 for acts in game.actions):
        st.subheader("Each firm against how many rivals spend")
        st.markdown(rivals_html(game, scale=table_scale()), unsafe_allow_html=True)
        st.caption("Each firm's payoff ($B/yr) when it spends and when it cuts, by how many of the other "
                   f"{n - 1} firms spend. Underlined: the better action there (a best response); outlined: the "
                   "firm's cell in an equilibrium where all spend or all cut. With firms that differ, a column "
                   "averages over which rivals spend.")
        st.subheader("Schelling diagram")
        st.caption(f"The same numbers as lines ({glossary('schelling-diagram', 'what is a Schelling diagram?')}): "
                   "where the orange Spend line is above the teal Cut line, spending pays.")
        sch = game.schelling()
        frame = charts.schelling_frame(sch)
        small_multiples(("schelling1", tuple(game.players)), game.players,
                        lambda rows: charts.schelling_chart(sch[sch["player"] == rows["player"].iloc[0]],
                                                            player=rows["player"].iloc[0]), frame)
        st.caption("The advantage of spending, Δ = Spend − Cut: above zero everywhere → spending "
                   f"dominates; a sign change → a tipping point ({glossary('stag-hunt', 'stag hunt')}) or a stable "
                   f"mix ({glossary('chicken')}).")
        show_chart_with_data(("delta", tuple(game.players)), lambda: charts.delta_chart(sch), sch)
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
            profiles = [tuple(p) for p in game.profiles()]
            codes = [profile_code(p, game.actions) for p in profiles]
            first = profile_code(a_profile(a, game), game.actions)
            from dilemma.analysis import profile_label

            code = st.selectbox("Who spends and who cuts", codes, index=codes.index(first),
                                format_func=lambda c: profile_label(game, parse_profile(c, game.actions)),
                                key="profile", bind="query-params",
                                help="The action profile whose payoff is broken down (default: the first "
                                     "equilibrium).")
            profile = parse_profile(code, game.actions)
            total = float(game.payoffs[profile + (i,)])
            st.metric(f"{firm}'s payoff", money(total) + " /yr")
        with c2:
            frame = charts.breakdown_frame(game, i, profile)
            # one spec per layout (firm, term labels, action order), refilled with this setting's numbers
            show_chart_with_data(("breakdown", firm) + charts.breakdown_layout(frame),
                                 lambda: charts.breakdown_chart(frame, firm), charts.breakdown_chart_data(frame))
        st.caption("Solid bars: the chosen profile. Light bars: the same profile if this firm switched its own "
                   "action (orange: it spends, teal: it cuts). The terms where they differ most are why the "
                   "firm prefers one action.")

    if a.get("all_cut"):
        st.subheader("Each firm's payoff: all spend against all cut")
        frame = charts.all_cut_frame(a["all_cut"])
        show_chart_with_data(("all_cut", tuple(game.players)), lambda: charts.all_cut_chart(frame), frame)


def a_profile(a, game):
    """The first equilibrium's pure profile, or all spend."""
    for e in a["equilibria"]:
        if e["kind"] == "pure":
            return tuple(int(max(range(len(s)), key=s.__getitem__)) for s in e["strategy"])
    return tuple(0 for _ in range(game.n_players))


guard(render)
