"""Page: follow the money: the capital loop, a player that stops paying, and the game left after the cascade."""

import pandas as pd
import streamlit as st

from dilemma.charts.loop import game_compare_chart, game_compare_frame, network_chart, network_frames
from dilemma.format import money
from dilemma.lab.common import altair, guard, url_choice, write_query
from dilemma.loop.network import list_loops, load_loop
from dilemma.parameters import param

lab = st.session_state["lab"]
scenario = lab.scenario

st.title("Follow the money: who pays whom, and who falls if one stops")
st.markdown(
    "The AI build-out is a loop of **committed payments**: NVIDIA invests in OpenAI, OpenAI rents cloud from "
    "Oracle and Microsoft, Oracle buys NVIDIA chips to serve it, and special-purpose vehicles (SPVs) turn "
    "leases into bonds. Pick a player that **stops paying** and step through the rounds: who loses revenue, "
    "whose credit rating breaks, who is forced to cut, and which game the hyperscalers play afterwards."
)


@st.cache_data(show_spinner=False, max_entries=64)
def _loop(name):
    return load_loop(name)


@st.cache_data(show_spinner=False, max_entries=256)
def _run(_loop_obj, loop_name, fail, cut, cut_depth):
    from dilemma.loop.cascade import cascade

    return cascade(_loop_obj, fail=list(fail), cut=list(cut), cut_depth=cut_depth)


@st.cache_data(show_spinner="Solving the game before and after…", max_entries=256)
def _compare(_scenario, skey, _result, rkey):
    from dilemma.loop.aftermath import compare_games

    return compare_games(_scenario, _result)


_SHOCKS = {
    "fail": "A player stops paying everything (fails)",
    "cut": "A player cuts its purchases and investments",
    "flow": "One flow stops (a lease is not renewed)",
}


def _round_text(result, step: int) -> str:
    if step == 0:
        what = ", ".join(s.replace("cut:", "") + (" cuts" if s.startswith("cut:") else " stops paying")
                         for s in result.shock)
        return f"**The shock:** {what}. Nobody has lost anything yet: move the slider to round 1."
    rd = result.rounds[step - 1]
    parts = []
    if rd.changed:
        parts.append("payments change: " + ", ".join(f"**{k}**" for k in rd.changed))
    if rd.broken:
        parts.append("then " + "; ".join(f"**{b.name}** {b.reason}" for b in rd.broken))
    else:
        parts.append("nobody else breaks: **the cascade has stopped** (a fixed point)")
    return f"**Round {step}:** " + ", ".join(parts) + "."


def _change_row(c: dict) -> dict:
    """One changed scenario value, with its plain label (from dilemma.parameters) and unit."""
    path = c["path"]
    if path.startswith("players."):
        _, firm, fld = path.split(".")
        p = param(fld)
        label = f"{firm}: {p.label.lower()}"
    else:
        p = param(path)
        label = f"{p.label} ({p.symbol})"
    fmt = money if p.unit.startswith("$B") else (lambda x: f"{x:.2f}")
    return {"Parameter": label, "Before": fmt(c["before"]), "After": fmt(c["after"]), "Why": c["why"]}


def render():
    if scenario.kind != "model":
        st.warning("The game after a shock needs a model scenario: pick one of the 2025 presets in the sidebar.")
        return
    loops = list_loops()
    c1, c2, c3 = st.columns([2, 3, 3])
    # every choice is kept in the link: ?loop=...&shock=fail|cut|flow&who=...&round=...
    loop_name = url_choice("loop", loops, c1.selectbox, "Loop", default=loops[0],
                           help="The network of committed flows (a TOML file in dilemma/presets/loops; every "
                                "flow has its source).")
    loop = _loop(loop_name)
    kind = url_choice("shock", list(_SHOCKS), c2.radio, "Shock", format_func=_SHOCKS.get)
    if kind == "flow":
        options = loop.flow_keys()
        default = "Meta->Beignet" if "Meta->Beignet" in options else options[0]
        label = "Flow that stops (payer->payee)"
    else:
        options = list(loop.names)
        default = "OpenAI" if kind == "fail" and "OpenAI" in options else (
            "Microsoft" if "Microsoft" in options else options[0])
        label = "Player"
    if st.session_state.get("_ftm_shock_was", (loop_name, kind)) != (loop_name, kind):
        # another loop or kind of shock: the previous player or flow is not a choice here, and not a link error
        write_query("who", None)
        st.session_state.pop("_saved_who", None)
        st.session_state.pop("_w_who", None)
    st.session_state["_ftm_shock_was"] = (loop_name, kind)
    who = url_choice("who", options, c3.selectbox, label, default=default)
    fail = (who,) if kind in ("fail", "flow") else ()
    cut = (who,) if kind == "cut" else ()
    cut_depth = scenario.value("market.cut_depth")
    result = _run(loop, loop_name, fail, cut, cut_depth)
    last = len(result.rounds)
    step_key = f"ftm_step_{loop_name}_{kind}_{who}"
    if step_key not in st.session_state and not st.session_state.get("_ftm_round_read"):
        st.session_state["_ftm_round_read"] = True       # the link's round counts once, for the shock it names
        raw = st.query_params.get("round")
        if raw is not None:
            try:
                wanted = int(raw)
            except ValueError:
                wanted = None                            # the lab's link check has named it already
            if wanted is not None and wanted > last:
                st.warning(f"Ignored part of the link: round={wanted}, but this cascade stops after round "
                           f"{last}; showing round {last}.")
            elif wanted is not None and wanted >= 0:
                st.session_state[step_key] = wanted
    step = st.slider("Step through the cascade (0 = the shock)", 0, last, last, key=step_key,
                     help="Each round, players that lost money are tested; one that breaks pays less from the "
                          "next round on.")
    write_query("round", None if step == last else str(step))
    st.markdown(_round_text(result, step))
    nodes, flows = network_frames(result, step)
    altair(network_chart(nodes, flows, height=460 if lab.presenter else 520))
    st.caption("Lines: committed payments, as thick as the $B per year (grey paid, orange scaled back, red dashed "
               "stopped; the arrowhead points to who is paid). Circles: players, as large as the money they "
               "have committed in and out. Hover for amounts and sources.")

    # ---- who lost what, at this step -----------------------------------------------
    lost = nodes[(nodes.revenue_lost > 1e-9) | (nodes.state != "ok")]
    if not lost.empty and not lab.presenter:
        final = {n.name: n for n in result.nodes}
        table = pd.DataFrame({
            "Player": lost.name,
            "State": lost.state_label,
            "Revenue lost ($B/yr)": lost.revenue_lost.round(1),
            "Backlog lost ($B)": lost.backlog_lost.round(0),
            "Rating before → after": [
                (f"{final[n].rating_before} → {final[n].rating_after}" if final[n].rating_before else "not rated")
                for n in lost.name],
        })
        st.dataframe(table, hide_index=True, width="stretch")

    # ---- the game, before and after ----------------------------------------------------
    st.subheader("The hyperscalers' game, before and after")
    cmp = _compare(scenario, hash(scenario), result, (loop_name, fail, cut, cut_depth))
    b, a = st.columns(2)
    for col, when, title in ((b, "before", "Before the shock"), (a, "after", "After the cascade")):
        s = cmp[when]
        col.metric(title, s["game_type_label"] if s["game_type"] != "other" else "No classic type",
                   help="No classic type: the firms differ too much for one textbook name; read the equilibrium."
                   if s["game_type"] == "other" else None)
        col.markdown("**Equilibrium:** " + (" | ".join(s["equilibria"]) or "none"))
    if cmp["forced_to_cut"]:
        st.info("Forced to cut by its rating whatever the game says: " + ", ".join(cmp["forced_to_cut"])
                + " (a firm rated BB cannot borrow to spend).")
    st.markdown("**Each firm's payoff when all spend**, before and after the shock ($B a year):")
    altair(game_compare_chart(game_compare_frame(cmp)), width="content")
    if cmp["changes"] and not lab.presenter:
        st.markdown("**What the cascade changed in the scenario** (nothing else moves):")
        st.dataframe(pd.DataFrame([_change_row(c) for c in cmp["changes"]]), hide_index=True, width="stretch")
    with st.expander("How the cascade works"):
        st.markdown(
            "- A player that **fails** stops every payment; one **forced to cut** buys and invests "
            f"{cut_depth:.0%} less (the cut depth); leases and debt service stop only if the payer fails.\n"
            "- Each round every player adds up what it no longer receives. Lost revenue × its margin is lost "
            "EBITDA; **net debt / EBITDA** gives the rating (≤ 1× AA, ≤ 2× A, ≤ 4× BBB, above BB). A player "
            "that falls to **BB is forced to cut**.\n"
            "- An SPV fails when its rent no longer covers its debt service (coverage below 1×).\n"
            "- The cascade stops when a round breaks nobody new.\n"
            "- The game afterwards: each firm's edge shrinks with the share of its backlog lost, its EBITDA and "
            "cash flow fall by the EBITDA lost, the profit pool D by what the firms lost, and outside builders' "
            "capex Q₀ by what they no longer buy. See docs/explanation/loop.md."
        )


guard(render)
