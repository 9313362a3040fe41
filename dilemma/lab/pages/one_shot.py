"""Page 1: the one-year game: payoffs, equilibria, the game's type and why."""

import pandas as pd
import streamlit as st

from dilemma import charts
from dilemma.lab.state import parse_profile, profile_code
from dilemma.lab.common import analysis_of, firm_table, game_of, guard, money, show_chart, show_chart_with_data

lab = st.session_state["lab"]
scenario = lab.scenario

st.title("The dilemma: one year, one decision")
st.markdown(
    "Each firm decides whether to **Spend** (keep its AI capex plan) or **Cut** (scale it back). "
    "Payoffs are in **$B of shareholder value per year**. Move the sliders on the left and watch the "
    "equilibrium and the game's type change."
)


def render():
    game = game_of(scenario)
    a = analysis_of(scenario)
    n = game.n_players
    skey = hash(scenario)

    # ---- the headline --------------------------------------------------------
    eq_labels = [e["label"] for e in a["equilibria"]]
    kind = a["game_type_label"] if a["game_type"] != "other" else "no classic type"
    st.markdown(f"### The game: **{kind}**")
    st.markdown("**Equilibrium:** " + (" | ".join(eq_labels) if len(eq_labels) <= 4
                                       else f"{len(eq_labels)} equilibria, listed below"))
    c1, c2, c3 = st.columns(3)
    c1.metric("Nash equilibria", len(eq_labels) if a["exhaustive"] else f"{len(eq_labels)} found",
              help="Profiles where no firm gains by changing its action alone. " + "; ".join(eq_labels))
    if a.get("all_cut"):
        c2.metric("Gain if all cut instead of all spend", money(a["all_cut"]["total_gain"]) + "/yr",
                  help="Sum over firms of (payoff when all cut − payoff when all spend).")
    cdf = a.get("critical_discount_factor")
    if cdf:
        value = f"δ ≥ {cdf['binding']:.2f}" if cdf["binding"] is not None else "never"
        c3.metric("Restraint can last if", value,
                  help="Grim trigger: 'all cut' is an equilibrium of the repeated game when every firm's "
                       "discount factor δ is at least this"
                       + (f" (binding firm: {cdf['binding_player']})." if cdf["binding"] is not None else ".")
                       + " See the Repeated play page.")

    st.info(a.get("explanation") or a["game_type_description"])

    # ---- equilibria and efficiency ---------------------------------------------
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Equilibria")
        rows = []
        for e in a["equilibria"]:
            rows.append({"equilibrium": e["label"], "kind": e["kind"],
                         **{p: round(v, 2) for p, v in zip(a["players"], e["payoffs"])}})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.caption("Payoffs in $B/yr per firm. " + ("This is the complete list." if a["exhaustive"] else
                   "The list may be incomplete: mixed equilibria of asymmetric games with 3+ firms are "
                   "not searched."))
        if a["notes"]:
            with st.expander("Solver notes"):
                for note in a["notes"]:
                    st.markdown(f"- {note}")
    with right:
        st.subheader("Efficiency")
        eff = a["efficiency"]
        st.markdown(f"**Best for all together:** {' | '.join(eff['social_optimum'])} "
                    f"(total {money(eff['optimum_welfare'])}/yr).  \n"
                    f"**Worst equilibrium:** total {money(eff['worst_equilibrium_welfare'])}/yr, "
                    f"a gap of **{money(eff['welfare_gap'])}/yr** left on the table.")
        dom = a["dominance"]["dominant"]
        if any(v is not None for v in dom.values()):
            st.markdown("**Dominant actions** (best whatever the others do): " + ", ".join(
                f"{p} {v}" for p, v in dom.items() if v is not None) + ".")

    # ---- the game ------------------------------------------------------------
    if n == 2:
        st.subheader("Payoff matrix")
        st.caption(f"Rows: {game.players[0]}, columns: {game.players[1]}. Each cell: both payoffs "
                   "($B/yr). ★ marks a best response; the outlined cell is a Nash equilibrium.")
        show_chart(("matrix", skey), lambda: charts.payoff_matrix_chart(charts.payoff_matrix_frame(game)),
                   width="content")
    elif all(len(acts) == 2 for acts in game.actions):
        st.subheader("Schelling diagram")
        st.caption("For each firm: its payoff when it spends and when it cuts, against how many rivals "
                   "spend. Where the Spend line is above the Cut line, spending pays.")
        sch = game.schelling()
        # built once per set of firms, refilled with this setting's numbers (a facet chart is slow to build)
        show_chart_with_data(("schelling", tuple(game.players), min(n, 3)),
                             lambda: charts.schelling_chart(sch, columns=min(n, 3)),
                             charts.schelling_frame(sch), width="content")
        st.caption("The advantage of spending, Δ = Spend − Cut: above zero everywhere → spending "
                   "dominates; a sign change → a tipping point (stag hunt) or a stable mix (chicken).")
        show_chart_with_data(("delta", tuple(game.players)), lambda: charts.delta_chart(sch), sch,
                             width="content")
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
            show_chart(("breakdown", skey, i, profile),
                       lambda: charts.breakdown_chart(charts.breakdown_frame(game, i, profile), firm))
        st.caption("Solid bars: the chosen profile. Light bars: the same profile if this firm switched. "
                   "The terms where they differ most are why the firm prefers one action.")

    if a.get("all_cut"):
        st.subheader("Each firm's payoff: all spend against all cut")
        frame = charts.all_cut_frame(a["all_cut"])
        show_chart_with_data(("all_cut", tuple(game.players)), lambda: charts.all_cut_chart(frame), frame)

    if not lab.presenter and scenario.kind == "model":
        with st.expander("Firms ($B): edit capex, cash flow, debt, market value", expanded=False):
            st.caption("Edits apply at once and are kept in the page's link.")
            firm_table(lab)


def a_profile(a, game):
    """The first equilibrium's pure profile, or all spend."""
    for e in a["equilibria"]:
        if e["kind"] == "pure":
            return tuple(int(max(range(len(s)), key=s.__getitem__)) for s in e["strategy"])
    return tuple(0 for _ in range(game.n_players))


guard(render)
