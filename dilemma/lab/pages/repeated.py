"""Page 3: repeated play: the same Spend/Cut decision year after year.

Inputs: one strategy per firm (URL ``strat``), years, noise, seed, Monte
Carlo runs, the engine (``engine``: the multi-year model with balance sheets,
or the one-year game repeated) and the management horizon (``horizon``).
Everything is computed by :mod:`dilemma.repeated` and drawn by
:mod:`dilemma.charts.repeated`; this page only collects, caches and renders.
"""

import math

import pandas as pd
import streamlit as st

from dilemma.charts import repeated as rc
from dilemma.equilibria import horizon_to_delta
from dilemma.lab.state import SETTINGS
from dilemma.parameters import param
from dilemma.repeated.strategies import STRATEGIES
from dilemma.lab.common import (altair, define, game_of, glossary, guard, money, roles_notice, setting_from_url,
                                show_chart_with_data, small_multiples, url_choice)
from dilemma.verdicts import TEMPTED, horizon_text, restraint_verdict, simulation_summary, threshold_text

lab = st.session_state["lab"]
scenario = lab.scenario

DEFAULT_STRATEGY = "tit-for-tat"
ENGINES = {"state": "Multi-year model (cash, debt, rating, bursts)",
           "stage": "The one-year game repeated"}
STEP_KEY = "repeated_step"          # presenter mode: years revealed so far
SAVED_KEY = "repeated_strategies"   # strategies kept across page switches

st.title("Repeated play: the same decision, year after year")
st.markdown(
    "A one-year game says everyone spends. But the firms meet again next year, and the year after. "
    "Give each firm a **strategy** (a rule for what to do given what the others did) and watch the years "
    f"unfold. Can the threat of a price war keep everyone's capex in check ({glossary('restraint')})?"
)


# ---- cached calls into the package (small wrappers, hashable arguments) ------------


@st.cache_resource(show_spinner="Playing the years…", max_entries=64)
def _state_run(_scenario, key, strategies, years, seed, noise):
    from dilemma.repeated import simulate_state

    return simulate_state(_scenario, list(strategies), years=years, runs=1, seed=seed, noise=noise)


@st.cache_resource(show_spinner="Running many possible futures…", max_entries=32)
def _state_mc(_scenario, key, strategies, years, runs, seed, noise):
    from dilemma.repeated import monte_carlo

    return monte_carlo(_scenario, list(strategies), years=years, runs=runs, seed=seed, noise=noise,
                       variables=("payoff", "market_value", "cash", "net_leverage"))


@st.cache_resource(show_spinner="Playing the years…", max_entries=64)
def _stage_play(_scenario, key, strategies, years, runs, seed, noise):
    from dilemma.repeated import play

    return play(game_of(_scenario), list(strategies), rounds=years, noise=noise, seed=seed, runs=runs)


# ---- inputs ---------------------------------------------------------------------






def _url_strategies(n: int, options: list[str]) -> list[str] | None:
    raw = st.query_params.get("strat", "")
    names = [x.strip() for x in str(raw).split(",") if x.strip()]
    if not names:
        return None
    if len(names) == 1:
        names = names * n
    bad = list(dict.fromkeys(x for x in names if x not in options))
    if len(names) != n or bad:
        what = f"unknown or unavailable here: {', '.join(bad)}" if bad else f"{len(names)} names for {n} firms"
        st.warning(f"Ignored the link's strategies ({what}); using {rc.strategy_label(DEFAULT_STRATEGY)}.")
        return None
    return names


def _sync_strategies(chosen: list[str]) -> None:
    if all(c == DEFAULT_STRATEGY for c in chosen):
        wanted = None
    elif len(set(chosen)) == 1:
        wanted = chosen[0]
    else:
        wanted = ",".join(chosen)
    if wanted is None:
        if "strat" in st.query_params:
            del st.query_params["strat"]
    elif st.query_params.get("strat") != wanted:
        st.query_params["strat"] = wanted


def strategy_pickers(players, options: list[str]) -> list[str]:
    """One selectbox per firm; the choice is kept in the URL as ``strat`` (comma-separated)."""
    descriptions = {name: cls.description for name, cls in STRATEGIES.items()}
    saved = st.session_state.get(SAVED_KEY, {})
    from_url = None
    n = len(players)
    per_row = min(n, 5)
    cols = st.columns(per_row)
    chosen = []
    for i, player in enumerate(players):
        key = f"strat_{i}_{player}"
        if key not in st.session_state or st.session_state[key] not in options:
            start = saved.get(key)
            if start is None:
                if from_url is None:
                    from_url = _url_strategies(n, options) or []
                start = from_url[i] if from_url else DEFAULT_STRATEGY
            st.session_state[key] = start if start in options else DEFAULT_STRATEGY
        chosen.append(cols[i % per_row].selectbox(
            player, options, format_func=rc.strategy_label, key=key,
            help=f"What {player} does each year. {rc.strategy_label(st.session_state[key])}: "
                 f"{descriptions.get(st.session_state[key], '')}"))
    st.session_state[SAVED_KEY] = {f"strat_{i}_{p}": c for i, (p, c) in enumerate(zip(players, chosen))}
    _sync_strategies(chosen)
    return chosen


def _next_year(years: int) -> None:
    st.session_state[STEP_KEY] = min(years, st.session_state.get(STEP_KEY, 1) + 1)


def _restart() -> None:
    st.session_state[STEP_KEY] = 1


def _show_all(years: int) -> None:
    st.session_state[STEP_KEY] = years


def presenter_step(years: int) -> int:
    """Presenter mode: the years revealed so far (a counter in session state, mirrored as URL ``step``)."""
    if STEP_KEY not in st.session_state:
        start = setting_from_url("step", warn=True)
        st.session_state[STEP_KEY] = start if start else 1
    step = max(1, min(years, int(st.session_state[STEP_KEY])))
    st.session_state[STEP_KEY] = step
    c1, c2, c3, c4 = st.columns([3, 2, 3, 3])
    c1.button("Next year", icon=":material/play_arrow:", on_click=_next_year, args=(years,),
              disabled=step >= years, type="primary", width="stretch")
    c2.button("Restart", icon=":material/replay:", on_click=_restart, width="stretch")
    c3.button("Show all years", icon=":material/skip_next:", on_click=_show_all, args=(years,),
              disabled=step >= years, width="stretch")
    c4.markdown(f"### Year {step} of {years}")
    if st.query_params.get("step") != str(step):
        st.query_params["step"] = str(step)
    return step


# ---- the page -------------------------------------------------------------------


def render():
    game = game_of(scenario)
    if any(len(a) != 2 for a in game.actions):
        st.warning(f"Repeated play needs two actions per player (Spend and Cut); “{scenario.title}” has "
                   f"{', '.join(str(len(a)) for a in game.actions)}. Pick a 2025 preset or a two-action game "
                   "in the sidebar.")
        return
    is_model = scenario.kind == "model"
    roles_notice(game)

    # ---- controls -----------------------------------------------------------------
    if is_model:
        engine = url_choice("engine", list(ENGINES), st.radio, "How one year leads to the next",
                            format_func=ENGINES.get, horizontal=True,
                          help="Multi-year model: each firm carries cash, debt, leases and a credit rating; a "
                               "firm rated BB (junk) must cut; the bubble may burst. One-year game repeated: the "
                               "same payoff table every year, nothing carried over.")
    else:
        engine = "stage"
        st.caption("An explicit game has no balance sheets: its one-year payoffs are simply repeated each year.")
    options = [name for name, cls in STRATEGIES.items() if engine == "state" or not cls.needs_state]
    st.markdown("**Each firm's strategy**")
    strategies = tuple(strategy_pickers(list(game.players), options))

    ys, ns, ss, rs = SETTINGS["years"], SETTINGS["noise"], SETTINGS["seed"], SETTINGS["runs"]
    if lab.presenter:
        years = st.slider("Years to play", int(ys.low), int(ys.high), int(ys.default), key="years",
                          bind="query-params", help=ys.help)
        noise, seed, runs = setting_from_url("noise"), setting_from_url("seed"), setting_from_url("runs")
    else:
        c1, c2, c3, c4 = st.columns(4)
        years = c1.slider("Years to play", int(ys.low), int(ys.high), int(ys.default), key="years",
                          bind="query-params", help=ys.help)
        noise = c2.slider("Mistakes (noise)", float(ns.low), float(ns.high), float(ns.default), step=0.01,
                          format="%.2f", key="noise", bind="query-params",
                          help=ns.help + " 0.05 = one decision in twenty goes the other way.")
        runs = c3.slider("Possible futures (Monte Carlo runs)", int(rs.low), int(rs.high), int(rs.default),
                         step=10, key="runs", bind="query-params", help=rs.help)
        seed = c4.number_input("Seed", int(ss.low), int(ss.high), int(ss.default), step=1, key="seed",
                               bind="query-params", help=ss.help)
    years, runs, seed, noise = int(years), int(runs), int(seed), float(noise)
    if not lab.presenter and "step" in st.query_params:
        del st.query_params["step"]

    key = hash(scenario)
    if engine == "state":
        single = _state_run(scenario, key, strategies, years, seed, noise)
    else:
        batch = _stage_play(scenario, key, strategies, years, runs, seed, noise)
        single = batch

    # ---- one run, year by year -----------------------------------------------------------
    st.header("One possible future")
    upto = presenter_step(years) if lab.presenter else None
    frame = rc.play_frame(single, run=0, upto=upto)
    bursts = rc.burst_frame(frame)
    if not bursts.empty:
        st.error(f"💥 The AI bubble burst in year {int(bursts['year'].iloc[0])}: the profit pool fell, young "
                 "GPUs were written down, and cutting stopped being punished.")

    st.subheader("Who spent and who cut")
    altair(rc.action_raster_chart(frame, bursts, total_years=years))
    summary = simulation_summary(frame, noise)
    st.caption("One square per firm and year: orange = Spend, teal = Cut. Follow a row to see a firm's "
               "strategy at work; a column of orange is a year in which everyone kept spending."
               + (" The red dashed line is the year the bubble burst." if not bursts.empty else "")
               + (f" **Not every square is a choice:** with mistakes at {noise:.0%}, about one decision in "
                  f"{round(1 / noise)} flips to the other action ({glossary('noise', 'mistakes')}); "
                  + (f"in this run {summary.mistakes} square{'s' if summary.mistakes != 1 else ''} "
                     f"{'are' if summary.mistakes != 1 else 'is'} a mistake, marked **×** (the firm meant the "
                     "other move)." if summary.mistakes else "in this run none did.")
                  if noise > 0 else "")
               + (f" **{summary.forced} teal square(s) marked BB are forced cuts**: the firm started the year "
                  "rated BB (see the ratings chart below) and could not borrow." if summary.forced else ""))

    st.subheader("Value added so far")
    altair(rc.cumulative_chart(frame, bursts, total_years=years))
    last = frame[frame["year"] == frame["year"].max()]
    growth = (f" Why value climbs by tens of $B a firm a year although page 1 says all spending is worth "
              f"about $0: here demand (the AI profit pool) grows {scenario.values['dynamics.demand_growth']:.0%} a "
              "year until the bubble bursts, while page 1 is one year at today's demand."
              if engine == "state" else "")
    st.caption("Each firm's yearly payoffs added up ($B of shareholder value). Totals after year "
               f"{int(frame['year'].max())}: " + ", ".join(f"{p} {money(v)}" for p, v in
                                                         zip(last["player"], last["cumulative"])) + "." + growth)

    if engine == "state":
        st.subheader("Balance sheets and credit ratings")
        sheets = rc.balance_sheet_frame(frame)
        if not bursts.empty:
            sheets = sheets.assign(burst_year=int(bursts["year"].iloc[0]))
        small_multiples(("sheets", tuple(game.players), years, not bursts.empty), game.players,
                        lambda rows: rc.balance_sheet_chart(rows.drop(columns="burst_year", errors="ignore"),
                                                            bursts, columns=None, total_years=years), sheets)
        st.caption("Cash (blue), debt (purple) and lease/SPV obligations (lilac) of each firm, $B. Spending "
                   "beyond what operating cash flow covers is paid for with new debt and leases.")
        altair(rc.rating_chart(frame, bursts, total_years=years))
        st.caption("The credit rating follows net leverage (debt + leases − cash, in years of EBITDA): "
                   "up to 1× AA, 2× A, 4× BBB, above that BB (junk). A firm rated BB cannot borrow and is "
                   "forced to cut, whatever its strategy says.")

    # ---- many runs ---------------------------------------------------------------------------
    if not lab.presenter or upto == years:
        many_runs(engine, strategies, years, runs, seed, noise, key, batch if engine == "stage" else None)
    else:
        st.caption("The spread over many possible futures appears once every year is shown.")

    # ---- can restraint hold? -------------------------------------------------------------------
    st.header("Can restraint hold?")
    guard(restraint, game, summary)


def many_runs(engine, strategies, years, runs, seed, noise, key, batch):
    st.header(f"{runs} possible futures")
    if engine == "state":
        mc = _state_mc(scenario, key, strategies, years, runs, seed, noise)
        choice = st.segmented_control(
            "Show", ["payoff", "market_value", "cash", "net_leverage"], default="payoff",
            format_func={"payoff": "Yearly payoff", "market_value": "Market value", "cash": "Cash",
                         "net_leverage": "Net leverage"}.get, key="repeated_band_var")
        choice = choice or "payoff"
        titles = {"payoff": "Payoff ($B per year)", "market_value": "Market value ($B)", "cash": "Cash ($B)",
                  "net_leverage": "Net leverage (× EBITDA)"}
        bands = rc.mc_band_frame(mc, choice)
        small_multiples(("mcbands", tuple(scenario.player_names), choice), list(dict.fromkeys(bands["player"])),
                        lambda rows: rc.band_chart(rows, titles[choice], columns=None), rows_frame(bands))
        st.caption("Each panel is one firm over many simulated futures (same strategies, different luck: "
                   "bursts, efficiency shocks, lease renewals, mistakes). Light band: where 90 % of the futures "
                   "lie; dark band: the middle half; line: the median future.")
        st.subheader("How likely is a burst?")
        altair(rc.burst_share_chart(rc.burst_share_frame(mc)))
        share = float(mc.burst_share[-1])
        st.caption(f"The share of futures in which the bubble has burst by each year. By year {years}: "
                   f"{share:.0%} of {runs} runs. Overbuilding (total capex above what the market absorbs) "
                   "raises the yearly chance.")
    else:
        c = st.segmented_control("Show", ["cumulative", "yearly"], default="cumulative",
                                 format_func={"cumulative": "Value added so far", "yearly": "Yearly payoff"}.get,
                                 key="repeated_band_kind")
        cumulative = (c or "cumulative") == "cumulative"
        bands = rc.play_band_frame(batch, cumulative=cumulative)
        title = "Value added so far ($B)" if cumulative else "Payoff ($B per year)"
        small_multiples(("playbands", tuple(batch.players), title), list(dict.fromkeys(bands["player"])),
                        lambda rows: rc.band_chart(rows, title, columns=None), rows_frame(bands))
        spread = float((bands["p95"] - bands["p5"]).abs().max())
        note = (" Every run came out the same: with no mistakes and no random strategy the future is "
                "certain. Raise the noise to see luck at work.") if spread < 1e-9 else ""
        st.caption("Each panel is one firm over many runs that differ only by luck (mistakes, random "
                   "strategies). Light band: where 90 % of the runs lie; dark band: the middle half; line: the "
                   "median run." + note)


def rows_frame(bands):
    """The band table with the label columns :func:`rc.band_chart` adds (so a refilled spec finds them)."""
    wide, mid, med = rc.BAND_LABELS
    return bands.assign(wide=wide, mid=mid, med=med)


def restraint(game, summary):
    is_model = scenario.kind == "model"
    r = scenario.values["demand.discount_rate"] if is_model else param("demand.discount_rate").default
    hs = SETTINGS["horizon"]
    c1, c2 = st.columns([2, 3])
    with c1:
        H = st.slider("Management horizon H (years)", float(hs.low), float(hs.high), float(hs.default), step=0.5,
                      format="%.1f", key="horizon", bind="query-params",
                      help="How far ahead managers look (tenure, pay horizon). With the discount rate r, next "
                           "year counts δ = exp(−(r + 1/H)) as much as this year. " + define("delta"))
        v = restraint_verdict(game, float(H), r)
        st.metric("Patience now: δ", f"{v.delta:.2f}",
                  help=f"δ = exp(−(r + 1/H)) with r = {r:.0%}" + ("" if is_model else " (the model's default "
                                                                 "discount rate; this game has none)") +
                       f" and H = {H:g} years.")
        st.metric("Patience restraint needs: δ*", threshold_text(v.needed).replace("δ ≥ ", ""),
                  help="Grim trigger: every firm cuts until someone spends, then all spend forever. "
                       "δ* = (T − R)/(T − P) from the one-year game; with different firms the largest counts, "
                       f"that of {TEMPTED}")
        if v.kind in ("holds", "fails"):
            st.caption(f"δ* = {v.needed:.2f} is a horizon of **{horizon_text(v.horizon_needed)}** at r = {r:.0%}.")
    with c2:
        binding = v.needed if math.isfinite(v.needed) else float("inf")
        altair(rc.discount_chart(rc.horizon_frame(r, hs.high), binding, float(H), v.delta))
    box = st.success if v.holds else (st.error if v.kind == "impossible" else st.warning)
    box(f"**{v.headline}** {v.reason}")
    st.markdown(f"**But in the simulation above?** {summary.text} The verdict is about the one-year game "
                f"repeated forever, with {glossary('grim-trigger', 'grim-trigger')} threats and no mistakes; the "
                "simulation plays the strategies you picked, for a few years, with mistakes and (in the "
                "multi-year model) balance sheets, so the two can disagree. Set mistakes to 0 and every firm to "
                "Grim Trigger to see the theory's case.")
    with st.expander("Why this firm? Each firm's δ*"):
        st.dataframe(pd.DataFrame({"Firm": list(v.thresholds),
                                   "δ* it needs": [threshold_text(x) for x in v.thresholds.values()]}),
                     hide_index=True, width="stretch")
        st.caption("“Most tempted” means " + TEMPTED)
    if not lab.presenter:
        with st.expander("Other strategies' thresholds"):
            from dilemma.repeated import critical_discount_table

            table = critical_discount_table(game)
            table = pd.DataFrame({
                "Strategy everyone plays": [rc.strategy_label(s) for s in table["strategy"]],
                "Restraint needs δ ≥": ["not on its path" if pd.isna(d) else ("never" if not math.isfinite(d)
                                        else f"{d:.2f}") for d in table["delta_star"]],
                "Holds now?": ["—" if pd.isna(d) else ("yes" if d <= v.delta else "no")
                               for d in table["delta_star"]],
                "Formula": table["formula"], "Source": table["source"]})
            st.dataframe(table, hide_index=True, width="stretch")
            st.caption("T: spend while all others cut; R: all cut; P: all spend; S: cut while all others "
                       "spend (payoffs of the one-year game). “Not on its path”: that strategy never reaches "
                       "everyone cutting against itself.")


guard(render)
