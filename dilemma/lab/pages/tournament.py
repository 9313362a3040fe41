"""Page 4: tournament and evolution: which strategies win, and which spread?

Inputs: the strategies in the tournament (URL ``pool``), rounds per match
(``turns``), noise and seed (``noise``, ``seed``, shared with page 3),
generations (``gens``), the Moran population (``pop``) and its mutant and
resident strategies (``mutant``, ``resident``). The computations are
:func:`dilemma.repeated.round_robin` and :mod:`dilemma.evolution`; the charts
come from :mod:`dilemma.charts.repeated`.
"""

import numpy as np
import pandas as pd
import streamlit as st

from dilemma.charts import repeated as rc
from dilemma.evolution import replicator_horizon, replicator_inputs, selection_w, stability_of
from dilemma.explain import spend_cut_index
from dilemma.lab.state import SETTINGS, TOURNAMENT
from dilemma.repeated.strategies import STRATEGIES
from dilemma.lab.common import (altair, define, game_of, glossary, guard, roles_notice, setting_from_url, url_choice,
                                write_query)

lab = st.session_state["lab"]
scenario = lab.scenario

TWO_PLAYER_PRESET = TOURNAMENT["two_player_preset"]
STATELESS = [name for name, cls in STRATEGIES.items() if not cls.needs_state]
REPETITIONS = TOURNAMENT["repetitions"]          # each pair meets this often (smooths out noise and luck)
FIXATION_TRIALS = TOURNAMENT["fixation_trials"]
STARTS = TOURNAMENT["replicator_starts"]

st.title("Tournament and evolution: which strategy wins?")
st.markdown(
    "Strategies meet in pairs and play many rounds of a two-firm capex game, as in Robert Axelrod's famous "
    "computer tournaments. Then we let strategies **spread** like habits in a population of firms: those that "
    "earn more are copied more. Does restraint survive, or does spending take over?"
)


# ---- cached calls into the package ----------------------------------------------


@st.cache_resource(show_spinner=False)
def _two_player_scenario():
    from dilemma.scenario import load_preset

    return load_preset(TWO_PLAYER_PRESET)


@st.cache_resource(show_spinner="Playing every pair of strategies…", max_entries=64)
def _tournament(_game, key, pool, turns, noise, seed):
    from dilemma.repeated import round_robin

    return round_robin(_game, list(pool), rounds=turns, repetitions=REPETITIONS, noise=noise, seed=seed,
                       self_play=True)


@st.cache_data(show_spinner="Following the population…", max_entries=64)
def _replicator(S, C, t_max):
    from dilemma.evolution import replicator_trajectory, rest_points

    S, C = np.asarray(S), np.asarray(C)
    return replicator_trajectory(S, C, x0=list(STARTS), t_max=t_max, steps=161), rest_points(S, C)


@st.cache_data(show_spinner="Simulating mutants…", max_entries=64)
def _fixation(A, population, mutant, resident, w, seed):
    from dilemma.evolution import simulate_fixation

    A = np.asarray(A)
    return (simulate_fixation(A, population, mutant, resident, w=w, trials=FIXATION_TRIALS, seed=seed),
            simulate_fixation(A, population, resident, mutant, w=w, trials=FIXATION_TRIALS, seed=seed + 1))


@st.cache_resource(show_spinner="Running the generations…", max_entries=32)
def _ecology(_game, key, population, generations, k, turns, noise, seed):
    from dilemma.evolution import ecology

    return ecology(_game, dict(population), generations=generations, k=k, rounds=turns, noise=noise, seed=seed)


# ---- inputs ----------------------------------------------------------------------








def pool_picker() -> list[str]:
    """The tournament's strategies; URL ``pool`` (comma-separated, empty = all)."""
    wkey, saved = "_w_pool", "_saved_pool"
    if wkey not in st.session_state:
        start = st.session_state.get(saved)
        if start is None:
            raw = [x.strip() for x in str(st.query_params.get("pool", "")).split(",") if x.strip()]
            bad = [x for x in raw if x not in STATELESS]
            if bad:
                st.warning(f"Ignored part of the link: pool: {', '.join(bad)} cannot play here "
                           f"(valid: {', '.join(STATELESS)}).")
            start = [x for x in dict.fromkeys(raw) if x in STATELESS] or list(STATELESS)
        st.session_state[wkey] = start
    if lab.presenter:
        chosen = st.session_state[wkey]
    else:
        chosen = st.multiselect("Strategies in the tournament", STATELESS, key=wkey, format_func=rc.strategy_label,
                                help="Each strategy meets every other one (and a copy of itself). "
                                     "Strategies that need a balance sheet (leverage rule, spend until junk) "
                                     "only play on the Repeated play page.")
    st.session_state[saved] = list(chosen)
    ordered = [s for s in STATELESS if s in chosen]
    write_query("pool", None if len(ordered) == len(STATELESS) else ",".join(ordered))
    return ordered


OTHERS = {"cut": "cut every year", "spend": "spend every year"}


def two_player_game():
    """The stage game of the tournament, the scenario it comes from, and what to tell the student.

    Returns ``(game, source, note, kind)``: ``kind`` is ``"own"`` (the sidebar's two-firm game),
    ``"slice"`` (the first two firms of the sidebar's N-firm game, the others' moves fixed: the sliders
    act) or ``"classroom"`` (a game that is not Spend/Cut: the classroom preset).
    """
    from dilemma.repeated.tournament import two_firm_game

    game = game_of(scenario)
    two_actions = all(len(a) == 2 for a in game.actions)
    if game.n_players == 2 and two_actions:
        return game, scenario, None, "own"
    roles = spend_cut_index(game, infer=True) if two_actions else None
    if roles:
        # games whose actions have other names say which one the others play
        (s_, c_), acts = roles[2], game.actions[2]
        named = sorted(a.lower() for a in acts) != ["cut", "spend"]
        said = {k: v + (f" (play “{acts[s_ if k == 'spend' else c_]}”)" if named else "")
                for k, v in OTHERS.items()}
        slot = st.container()          # the note above its radio: first what is played, then the choice
        others = url_choice("others", list(OTHERS), st.radio, "Meanwhile the other firms",
                            format_func=said.get, horizontal=True,
                            help=SETTINGS["others"].help + " Cutting: can two firms keep restraint if the rest "
                                 "do? Spending: what is left to play for when the rest keep spending?")
        pair = two_firm_game(game, (0, 1), others)
        rest = list(game.players[2:])
        names = rest[0] if len(rest) == 1 else ", ".join(rest[:-1]) + " and " + rest[-1]
        note = (f"**A match is two firms facing each other**, so the tournament plays **{game.players[0]} "
                f"against {game.players[1]}** (the first two firms of “{scenario.title}”) while **{names} "
                f"{said[others]}**. The payoffs are the {game.n_players}-firm game's own, so the sidebar's "
                "sliders change the matches.")
        slot.info(note)
        return pair, scenario, note, "slice"
    classroom = _two_player_scenario()
    note = (f"**This page plays a two-firm game, not “{scenario.title}”**: that game does not have two actions "
            f"(Spend and Cut) per firm, so the matches, the Moran process and the generations use the "
            f"**{classroom.title}** preset (two identical firms, Alpha and Beta). The sidebar's sliders do not "
            f"change them. To move the tournament's game, pick “{classroom.title}” or a 2025 preset in the sidebar.")
    return game_of(classroom), classroom, note, "classroom"


# ---- the page ----------------------------------------------------------------------


def render():
    game, source, note, kind = two_player_game()
    if kind == "classroom":
        st.warning(note)
        st.sidebar.warning(f"On the Tournament page the sliders above change only the replicator section: the "
                           f"matches play the {source.title} preset.")
    elif kind == "slice":
        gtype = game.game_type()
        from dilemma.equilibria.classify import TYPE_LABELS
        st.caption(f"The two-firm game of the matches: **{TYPE_LABELS.get(gtype, gtype)}** "
                   f"({glossary(gtype if gtype != 'other' else 'other-type', 'what is that?')}).")
    else:
        st.caption(f"The matches play “{scenario.title}” as set in the sidebar.")
    roles_notice(game)

    pool = pool_picker()
    ts, ns, ss = SETTINGS["turns"], SETTINGS["noise"], SETTINGS["seed"]
    if lab.presenter:
        turns = st.slider("Rounds per match", int(ts.low), int(ts.high), int(ts.default), key="turns",
                          bind="query-params", help=ts.help)
        noise, seed = setting_from_url("noise"), setting_from_url("seed")
    else:
        c1, c2, c3 = st.columns(3)
        turns = c1.slider("Rounds per match", int(ts.low), int(ts.high), int(ts.default), key="turns",
                          bind="query-params", help=ts.help)
        noise = c2.slider("Mistakes (noise)", float(ns.low), float(ns.high), float(ns.default), step=0.01,
                          format="%.2f", key="noise", bind="query-params", help=ns.help)
        seed = c3.number_input("Seed", int(ss.low), int(ss.high), int(ss.default), step=1, key="seed",
                               bind="query-params", help=ss.help)
    turns, noise, seed = int(turns), float(noise), int(seed)
    if len(pool) < 2:
        st.warning("Pick at least two strategies for a tournament.")
        return

    key = hash((source, game.title))   # Game objects are not hashable; the scenario and the slice are
    t = _tournament(game, key, tuple(pool), turns, noise, seed)

    # ---- the round robin ---------------------------------------------------------------
    st.header("The round robin")
    ranking = t.frame
    best, worst = rc.strategy_label(ranking["strategy"].iloc[0]), rc.strategy_label(ranking["strategy"].iloc[-1])
    st.subheader("Ranking")
    altair(rc.score_chart(ranking))
    st.caption(f"Each strategy's average payoff per round over all its matches ($B). Bar colour: how often "
               f"it cut. Winner: **{best}**; last: **{worst}**.")
    st.subheader("Who beats whom")
    order = [rc.strategy_label(s) for s in ranking["strategy"]]
    altair(rc.pairwise_chart(rc.pairwise_long_frame(t), order=order, width="container"))
    st.caption("Read across a row: what that strategy earns per round, on average, against each opponent "
               "(dark purple: high, light: low; the number is in $B, and where the cells are too narrow for it, "
               "a tap or hover on a cell shows it). Strategies are sorted by rank; column 1 is the strategy of "
               "row 1, and so on. A strategy can win the tournament without beating anyone head to head: it wins "
               "by earning well against many.")
    with st.expander("The table"):
        table = pd.DataFrame({"Rank": ranking["rank"],
                              "Strategy": [rc.strategy_label(s) for s in ranking["strategy"]],
                              "Mean payoff per round ($B)": ranking["score"].round(2),
                              "Share of rounds it cut": [f"{c:.0%}" for c in ranking["cooperation"]]})
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(f"{turns} rounds per match, every pair {REPETITIONS} times, each strategy also against a copy "
                   f"of itself; mistakes {noise:.0%} of decisions.")

    # ---- replicator dynamics -----------------------------------------------------------
    st.header("Spending as a habit that spreads")
    guard(replicator_section, game)

    # ---- Moran process -------------------------------------------------------------------
    st.header("Can one maverick take over?")
    guard(moran_section, t, pool, seed)

    # ---- ecology -----------------------------------------------------------------------------
    st.header("Survival of the fittest, generation by generation")
    guard(ecology_section, game, key, pool, turns, noise, seed)


def replicator_section(two_player):
    own = game_of(scenario)
    source, where = own, f"“{scenario.title}”"
    try:
        S, C, how = replicator_inputs(own)
    except ValueError:
        source, where = two_player, "the two-player game of the tournament"
        S, C, how = replicator_inputs(two_player)
        st.info(f"“{scenario.title}” is not a Spend/Cut game, so this section uses {where}.")
    if how == "average firm":
        st.info(f"The players of {where} differ, and the replicator equation needs identical ones, so it runs on "
                f"the **average firm**: its payoff when it spends or cuts, for each number of rivals spending, "
                f"is the average over the {source.n_players} players.")
    acts = list(source.actions[0])
    roles = spend_cut_index(source, infer=True)
    if roles and [a.lower() for a in acts] != ["spend", "cut"]:
        s, c = roles[0]
        st.caption(f"In {where}, “spending” below means playing **{acts[s]}** and “cutting” playing **{acts[c]}**.")
    t_max = replicator_horizon(S, C)
    traj, rests = _replicator(tuple(map(float, S)), tuple(map(float, C)), t_max)
    altair(rc.replicator_chart(traj, rests))
    st.caption(f"{glossary('replicator', 'Replicator dynamics')}: imagine many firms that copy whatever pays better. Each line starts from a different share of "
               "firms spending and follows it over time. Diamonds are resting points: a filled one attracts the "
               "lines (the population settles there), a hollow one repels them (a tipping point).")
    def share(x):
        return "everyone cutting" if x == 0 else ("everyone spending" if x == 1 else f"{x:.0%} spending")

    stable = [r.x for r in rests.itertuples() if stability_of(r.stable) == "stable"]
    tipping = [r.x for r in rests.itertuples() if r.kind == "interior" and stability_of(r.stable) == "unstable"]
    if stable:
        text = "The population ends at " + " or ".join(share(x) for x in stable)
        if tipping:
            text += f", depending on which side of the tipping point at {tipping[0]:.0%} spending it starts"
        st.markdown(text + ".")
    else:
        st.markdown("No share of spending attracts the population: spending and cutting pay the same.")


def moran_section(t, pool, seed):
    ps = SETTINGS["pop"]
    resident_default = "tit-for-tat" if "tit-for-tat" in pool else pool[0]
    c1, c2, c3, c4 = st.columns([3, 3, 3, 3] if not lab.presenter else [3, 3, 3, 0.01])
    with c1:
        resident = url_choice("resident", pool, st.selectbox, "Residents play", default=resident_default,
                              format_func=rc.strategy_label, help=SETTINGS["resident"].help)
    others = [s for s in pool if s != resident]       # a mutant differs from the residents
    mutant_default = "always-spend" if "always-spend" in others else others[0]
    with c2:
        mutant = url_choice("mutant", others, st.selectbox, "One mutant plays", default=mutant_default,
                            format_func=rc.strategy_label, help=SETTINGS["mutant"].help)
    with c3:
        population = int(st.slider("Population size N", int(ps.low), int(ps.high), int(ps.default), key="pop",
                                   bind="query-params", help=ps.help))
    gs = SETTINGS["strength"]
    if lab.presenter:
        strength = setting_from_url("strength")
    else:
        with c4:
            strength = st.slider("Strength of selection", float(gs.low), float(gs.high), float(gs.default), step=0.1,
                                 key="strength", bind="query-params", help=gs.help)
    if mutant == resident:
        altair(rc.fixation_chart(rc.fixation_frame([]), population))
        st.warning("The mutant plays the same strategy as the residents: pick two different strategies.")
        return
    A = np.asarray(t.pairwise, dtype=float)
    i, j = t.strategies.index(mutant), t.strategies.index(resident)
    w = selection_w(A, strength)
    fwd, back = _fixation(tuple(map(tuple, A)), population, i, j, w, seed)
    m, r = rc.strategy_label(mutant), rc.strategy_label(resident)
    rows = []
    for case, sim in ((f"One {m} among {population - 1} {r}", fwd), (f"One {r} among {population - 1} {m}", back)):
        rows.append({"case": case, "method": "Formula", "probability": sim["exact"], "ci_low": sim["exact"],
                     "ci_high": sim["exact"]})
        rows.append({"case": case, "method": "Simulation", "probability": sim["estimate"], "ci_low": sim["ci_low"],
                     "ci_high": sim["ci_high"]})
    altair(rc.fixation_chart(rc.fixation_frame(rows), population))
    st.caption("In a population of N firms, each step one firm copies another, and firms with higher payoffs are "
               f"copied more often (the {glossary('moran', 'Moran process')}). The bars give the chance that a single newcomer ends up "
               f"converting everyone: by formula and in {FIXATION_TRIALS:,} simulated populations (thin line: the "
               "95 % range of the simulation). The dashed line, 1/N, is the chance of a newcomer that is neither "
               "better nor worse: pure luck.")
    rho = fwd["exact"]
    ratio = rho * population
    if ratio > 1.05:
        verdict = f"**{ratio:.1f} times** the chance of pure luck: selection favours the {m} mutant."
    elif ratio < 0.95:
        verdict = f"**{ratio:.2f} times** the chance of pure luck: selection works against the {m} mutant."
    else:
        verdict = "about the chance of pure luck: selection hardly matters here."
    st.markdown(f"One {m} firm among {population - 1} {r} firms takes over with probability **{rho:.1%}**, {verdict}")


def ecology_section(game, key, pool, turns, noise, seed):
    gs = SETTINGS["gens"]
    generations = int(st.slider("Generations", int(gs.low), int(gs.high), int(gs.default), key="gens",
                                bind="query-params", help=gs.help))
    per = max(1, round(25 / len(pool)))
    total = per * len(pool)
    k = max(1, total // 5)
    frame = _ecology(game, key, tuple((s, per) for s in pool), generations, k, turns, noise, seed)
    altair(rc.ecology_chart(frame))
    last = frame[frame["generation"] == frame["generation"].max()].sort_values("count", ascending=False)
    survivors = [f"{rc.strategy_label(s)} ({c})" for s, c in zip(last["strategy"], last["count"]) if c > 0]
    st.caption(f"Start: {per} firms of each strategy ({total} in all). Each generation every firm plays every "
               f"other one ({turns} rounds); the {k} lowest scorers are replaced by copies of the {k} highest "
               "(Nicky Case's “The Evolution of Trust”). A band that widens is a strategy that is spreading.")
    st.markdown(f"After {generations} generations: " + ", ".join(survivors) + ".")


guard(render)
