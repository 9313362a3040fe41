r"""State-carrying repeated play of a model scenario, year by year.

Each firm carries a balance sheet and each run a world state; every year the
firms choose Spend or Cut with their strategies, the stage game of *this*
year's state gives each firm's payoff, and the cash ledger moves the balance
sheet on. All state arrays are shaped ``(runs, firms)``, so many runs are one
vectorised computation (see :mod:`dilemma.repeated.montecarlo`).

State
-----
Per firm: cash, on-balance-sheet debt, lease/SPV obligations, productive
capacity and the young vintages not yet earning (capacity earns only after
``L = round(demand.delay)`` years), market value and a rating tier from net
leverage :math:`\ell = (\text{debt} + \text{leases} - \text{cash}) /
\text{EBITDA}`: :math:`\ell \le 1` AA, :math:`\le 2` A, :math:`\le 4` BBB,
above BB, with spreads 60 / 90 / 130 / 300 bp over ``finance.base_rate``. A
firm rated BB is **forced to cut** (after noise; lenders are not a mistake).
``StateResult.flipped`` records the moves noise flipped (the mistakes).
Per run: the profit pool :math:`D_t`, the absorbed capex :math:`Q^*_t`,
whether the bubble has burst, whether the efficiency shock has hit, and the
SPV debt stranded by leases that were not renewed.

One year
--------
1. Strategies decide from the start-of-year state; BB firms cut.
2. **Payoff**: :func:`dilemma.payoffs.stage_terms` with this year's
   :math:`D_t, Q^*_t`, debt + leases, EBITDA and market value, and the
   punishment :math:`\beta` set to 0 once the bubble has burst (everyone
   cuts, so cutting is no news). :math:`U_i` is the payoff the repeated game
   scores, in $B of shareholder value, exactly as in the one-shot game.
3. **Cash ledger** (realised flows): the gap
   :math:`E_i = \max(0, X_i - \theta\,\mathrm{OCF}_i)` is financed by new
   leases (share :math:`\varphi`) and new debt; interest is paid on debt at
   the rating's rate and on leases at that rate plus :math:`\pi_{SPV}`; AI
   income arrives ``L`` years after the capex that earns it, at the stage
   revenue without the delay discount and the expected-burst haircut
   (:math:`\Pi(Q)\sigma_i`), cut by :math:`h` if the bubble bursts before it
   arrives. Cash below zero is covered by a revolver draw (new debt)::

       sources = OCF + AI income + new debt + new leases + revolver
       uses    = capex + interest + lease interest + change in cash

   ``sources == uses`` holds every year (``tests/test_state.py`` checks it).
4. **Bubble**: bursts with this year's burst probability :math:`p` (from the
   stage terms), at most once per run. Then :math:`D` falls by :math:`h`, the
   short-lived share :math:`\omega` of the young vintages (this year's capex
   and the pipeline) is written down to salvage :math:`s` (capacity and
   market value fall by :math:`(1-s)\omega` of it), growth stops and the
   punishment fades.
5. **Efficiency shock** ("DeepSeek moment"): with probability
   ``dynamics.shock_probability`` per year, once, :math:`Q^*` and :math:`D`
   fall by the share ``dynamics.efficiency_shock``.
6. **Leases**: every ``dynamics.lease_term`` years each firm's leases renew
   with probability :math:`\rho`; if not, the obligations leave the firm's
   books (the SPV's bonds keep running: they are added to ``stranded``) and
   so does the same amount of productive capacity.
7. Market value grows by the payoff (less write-downs, floored at 0);
   :math:`D` and :math:`Q^*` grow at ``dynamics.demand_growth`` until a burst;
   EBITDA is the scenario's EBITDA plus this year's AI income; capacity
   depreciates over ``finance.asset_life``.

Departures (judgement, documented in the report): initial ``debt`` of a
scenario (which includes leases) starts on balance sheet; stage payoffs use
the stage game's spread formula while cash interest uses the rating tiers;
the profit pool and :math:`Q^*` grow together.

Examples
--------
>>> from dilemma.scenario import load_preset
>>> r = simulate_state(load_preset("2025-baseline"), "always-spend", years=5, runs=200, seed=1)
>>> r.cash.shape
(200, 5, 5)
>>> bool(np.allclose(r.ledger_gap(), 0))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError
from ._batch import check_noise, check_rounds, seed_sequence
from .strategies import RATINGS, FirmState, StageTable, resolve_strategies

__all__ = ["simulate_state", "StateResult", "RATINGS", "RATING_BOUNDS", "RATING_SPREADS", "VARIABLES",
           "LEDGER_SOURCES", "LEDGER_USES", "rating_of"]

#: Upper bounds of net leverage (turns of EBITDA) for AA, A, BBB; above: BB.
RATING_BOUNDS = (1.0, 2.0, 4.0)
#: Credit spreads by tier, as fractions (60, 90, 130, 300 bp).
RATING_SPREADS = (0.006, 0.009, 0.013, 0.030)
#: Per-firm state variables recorded each year (end of year unless noted).
VARIABLES = ("cash", "debt", "leases", "capacity", "market_value", "net_leverage", "rating", "payoff",
             "ai_income", "capex")
LEDGER_SOURCES = ("ocf", "ai_income", "new_debt", "new_leases", "revolver")
LEDGER_USES = ("capex", "interest", "lease_interest", "delta_cash")


def rating_of(net_leverage) -> np.ndarray:
    """Tier index (0 AA .. 3 BB) of net leverage.

    >>> rating_of([0.5, 1.0, 1.5, 4.0, 4.5]).tolist()
    [0, 0, 1, 2, 3]
    """
    nl = np.asarray(net_leverage, dtype=float)
    return np.searchsorted(np.asarray(RATING_BOUNDS), nl, side="left").astype(np.int8)


@dataclass
class StateResult:
    """Outcome of :func:`simulate_state`.

    Every per-firm array is shaped ``(runs, years, firms)``; ``spend`` is
    bool; ``flipped`` is bool, True where noise flipped the firm's intended
    move (a mistake: the played move in ``spend`` is the one the firm did not
    mean; never True for a BB firm's forced cut); ``rating`` int8 tier codes
    into :data:`RATINGS`. World arrays
    (``burst``, ``shocked``, ``profit_pool``, ``absorbed_capex``,
    ``stranded``) are ``(runs, years)``, end of year. ``ledger`` maps each
    entry of :data:`LEDGER_SOURCES` and :data:`LEDGER_USES` to a
    ``(runs, years, firms)`` array.
    """

    players: list
    strategies: list
    arrays: dict
    world: dict
    ledger: dict = field(default_factory=dict)
    seed_entropy: int | None = None

    def __getattr__(self, name):
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name]
        world = self.__dict__.get("world", {})
        if name in world:
            return world[name]
        raise AttributeError(name)

    @property
    def runs(self) -> int:
        return self.arrays["spend"].shape[0]

    @property
    def years(self) -> int:
        return self.arrays["spend"].shape[1]

    def ledger_gap(self) -> np.ndarray:
        """``sources - uses`` per run, year and firm (zero up to rounding)."""
        src = sum(self.ledger[k] for k in LEDGER_SOURCES)
        use = sum(self.ledger[k] for k in LEDGER_USES)
        return src - use

    @property
    def frame(self):
        """Tidy DataFrame: one row per run, year and firm, every variable and ledger entry."""
        import pandas as pd

        runs, years, n = self.arrays["spend"].shape
        r, t, p = np.meshgrid(np.arange(runs), np.arange(years), np.arange(n), indexing="ij")
        data = {"run": r.ravel(), "year": t.ravel(),
                "player": np.array(self.players, dtype=object)[p.ravel()],
                "strategy": np.array(self.strategies, dtype=object)[p.ravel()],
                "action": np.where(self.arrays["spend"].ravel(), "Spend", "Cut")}
        for k, v in self.arrays.items():
            if k != "spend":
                data[k] = v.ravel()
        data["rating"] = np.array(RATINGS, dtype=object)[self.arrays["rating"].ravel()]
        for k, v in self.ledger.items():
            data[f"ledger_{k}"] = v.ravel()
        for k, v in self.world.items():
            data[k] = np.repeat(v.ravel(), n)
        return pd.DataFrame(data)


def _model_inputs(scenario):
    from ..payoffs import firm_arrays, market_arrays

    if getattr(scenario, "kind", None) != "model":
        raise ParameterError("scenario", "a model scenario ([[players]]); explicit games carry no balance sheets",
                             getattr(scenario, "kind", type(scenario).__name__))
    firms = firm_arrays(scenario.players)
    market = {k: float(v) for k, v in market_arrays(scenario.values).items()}
    return list(scenario.player_names), firms, market


class _Kernel:
    """Year-by-year state engine for one batch of runs (internal)."""

    def __init__(self, scenario, strategies, years, noise, record):
        from ..payoffs import stage_terms

        self.stage_terms = stage_terms
        self.players, self.firms, self.market = _model_inputs(scenario)
        self.n = len(self.players)
        self.years = years
        self.noise = noise
        self.record = record
        self.record_ledger = True
        self.strategies = strategies
        m = self.market
        self.L = max(0, int(round(m["delay"])))
        self.psi = (1.0 + m["discount_rate"]) ** (-m["delay"])
        self.lease_term = max(1, int(round(m["lease_term"])))
        self.static_market = {k: v for k, v in m.items() if k not in ("profit_pool", "absorbed_capex", "punishment")}
        self.spreads = np.asarray(RATING_SPREADS)
        # a stage table of the baseline game for strategies that want one
        from ..payoffs import payoff_tables

        self.stage = StageTable(payoff_tables(scenario, keys=("payoff",))["payoff"]) if self.n <= 12 else None

    def run(self, runs, ss, out=None):
        """Simulate ``runs`` runs; records are time-first ``(years, runs, firms)``.

        ``out`` may hold preallocated arrays (views) to write the records into.
        """
        n, years, m, f = self.n, self.years, self.market, self.firms
        children = ss.spawn(self.n + 2)
        rngs = [np.random.default_rng(c) for c in children[: self.n]]
        world_rng = np.random.default_rng(children[self.n])
        noise_rng = np.random.default_rng(children[self.n + 1])
        strats = [s.copy() for s in self.strategies]
        for i, s in enumerate(strats):
            s.reset(runs, player=i, stage=self.stage)

        shape = (runs, n)
        cash = np.broadcast_to(f["cash"], shape).copy()
        debt = np.broadcast_to(f["debt"], shape).copy()
        leases = np.zeros(shape)
        ebitda0 = f["ebitda"]
        ebitda = np.broadcast_to(ebitda0, shape).copy()
        value = np.broadcast_to(f["market_value"], shape).copy()
        capacity = np.zeros(shape)
        # rings of L slots: slot t % L holds what was built (young) / is due (pending) L years after year t - L
        young = [np.zeros(shape) for _ in range(self.L)]
        pending = [np.zeros(shape) for _ in range(self.L)]
        ocf = f["ocf"]
        rate_of_tier = m["base_rate"] + self.spreads
        pool = np.full(runs, m["profit_pool"])
        qstar = np.full(runs, m["absorbed_capex"])
        burst = np.zeros(runs, dtype=bool)
        shocked = np.zeros(runs, dtype=bool)
        stranded = np.zeros(runs)
        net_lev = (debt + leases - cash) / ebitda
        rating = rating_of(net_lev)
        firms_static = {k: f[k] for k in ("capex", "ocf", "edge")}
        theta_ocf = np.maximum(0.0, m["ocf_share"] * f["ocf"])
        phi, prem = m["spv_share"], m["spv_premium"]
        h, s_, omega = m["burst_loss"], m["salvage"], m["short_lived"]
        g, e, pe, rho = m["demand_growth"], m["efficiency_shock"], m["shock_probability"], m["lease_renewal"]
        life = m["asset_life"]

        out = out or {}
        rec = {k: out[k] if k in out else np.empty((years, runs, n), dtype=np.int8 if k == "rating" else float)
               for k in self.record}
        ledger = ({k: np.empty((years, runs, n)) for k in LEDGER_SOURCES + LEDGER_USES}
                  if self.record_ledger else {})
        world = {k: out[k] if k in out else np.empty((years, runs)) for k in ("profit_pool", "absorbed_capex", "stranded")}
        world["burst"] = np.empty((years, runs), dtype=bool)
        world["shocked"] = np.empty((years, runs), dtype=bool)
        cut_hist = np.empty((years, runs, n), dtype=bool)
        flipped = np.empty((years, runs, n), dtype=bool)
        others_idx = [np.array([j for j in range(n) if j != i]) for i in range(n)]
        seen = [np.empty((years, runs, n - 1), dtype=bool) for _ in range(n)]   # others' moves, per firm

        for t in range(years):
            market_t = dict(self.static_market)
            market_t["profit_pool"] = pool
            market_t["absorbed_capex"] = qstar
            market_t["punishment"] = np.where(burst, 0.0, m["punishment"])
            firms_t = dict(firms_static, debt=debt + leases, ebitda=ebitda, market_value=value)

            # 1. decisions
            cut = np.empty(shape, dtype=bool)
            for i, s in enumerate(strats):
                fs = FirmState(cash=cash[:, i], debt=debt[:, i], leases=leases[:, i], ebitda=ebitda[:, i],
                               net_leverage=net_lev[:, i], rating=rating[:, i], burst=burst,
                               spend_gain=self._gain_fn(i, firms_t, market_t))
                cut[:, i] = s.decide(t, cut_hist[:t, :, i], seen[i][:t], fs, rngs[i])
            forced = rating >= 3                                 # BB: forced to cut
            if self.noise > 0:
                flip = noise_rng.random(shape) < self.noise
                cut ^= flip
                flipped[t] = flip & ~forced                      # a forced cut is the lenders', not a mistake
            else:
                flipped[t] = False
            cut |= forced
            cut_hist[t] = cut
            for i in range(n):
                seen[i][t] = cut[:, others_idx[i]]
            spend = ~cut

            # 2. payoff of this year's stage game
            terms = self.stage_terms(spend, firms_t, market_t)
            X = terms["capex"]
            payoff = terms["payoff"]
            p = terms["burst_probability"][:, 0]
            keep = self.psi * (1.0 - p * h)
            nominal = terms["revenue"] / np.where(keep > 0, keep, 1.0)[:, None]

            # 3. cash ledger
            rate = rate_of_tier[rating]
            interest = debt * rate
            lease_int = leases * (rate + prem)
            gap = X - theta_ocf
            np.maximum(gap, 0.0, out=gap)
            new_leases = phi * gap
            new_debt = gap - new_leases
            if self.L == 0:
                income = nominal
            else:
                slot = t % self.L
                income = pending[slot]
                pending[slot] = nominal
            cash_new = ocf - X
            cash_new += cash
            cash_new += income
            cash_new += gap
            cash_new -= interest
            cash_new -= lease_int
            revolver = np.maximum(-cash_new, 0.0)
            cash_new += revolver
            if self.record_ledger:
                ledger["ocf"][t] = f["ocf"]
                ledger["ai_income"][t] = income
                ledger["new_debt"][t] = new_debt
                ledger["new_leases"][t] = new_leases
                ledger["revolver"][t] = revolver
                ledger["capex"][t] = X
                ledger["interest"][t] = interest
                ledger["lease_interest"][t] = lease_int
                ledger["delta_cash"][t] = cash_new - cash
            cash = cash_new
            debt = debt + new_debt
            debt += revolver
            leases = leases + new_leases

            # capacity: this year's capex joins the young vintages
            capacity = capacity * (1.0 - 1.0 / life)
            if self.L == 0:
                capacity += X
                young_now = X
            else:
                capacity += young[slot]
                young[slot] = X
                young_now = X if self.L == 1 else sum(young)

            # 4. bubble
            new_burst = ~burst & (world_rng.random(runs) < p)
            writedown = None
            if new_burst.any():
                nb = new_burst
                loss = (1.0 - s_) * omega
                pool = np.where(nb, pool * (1.0 - h), pool)
                keep_income = np.where(nb, 1.0 - h, 1.0)[:, None]
                keep_young = np.where(nb, 1.0 - loss, 1.0)[:, None]
                pending = [a * keep_income for a in pending]
                writedown = young_now * (1.0 - keep_young)
                if self.L == 0:
                    capacity -= writedown
                else:
                    young = [a * keep_young for a in young]
                burst = burst | nb
            # 5. efficiency shock
            if pe > 0 and e > 0:
                hit = ~shocked & (world_rng.random(runs) < pe)
                qstar = np.where(hit, qstar * (1.0 - e), qstar)
                pool = np.where(hit, pool * (1.0 - e), pool)
                shocked = shocked | hit
            # 6. leases
            if (t + 1) % self.lease_term == 0 and rho < 1:
                lapse = world_rng.random(shape) >= rho
                stranded = stranded + (leases * lapse).sum(axis=1)
                capacity = capacity - np.where(lapse, np.minimum(capacity, leases), 0.0)
                leases = np.where(lapse, 0.0, leases)
            # 7. value, growth, ratings
            value = value + payoff
            if writedown is not None:
                value -= writedown
            np.maximum(value, 0.0, out=value)
            grow = np.where(burst, 1.0, 1.0 + g)
            pool = pool * grow
            qstar = qstar * grow
            ebitda = ebitda0 + income
            np.maximum(ebitda, 1e-9, out=ebitda)
            net_lev = debt + leases
            net_lev -= cash
            net_lev /= ebitda
            rating = rating_of(net_lev)

            now = {"cash": cash, "debt": debt, "leases": leases, "capacity": capacity, "market_value": value,
                   "net_leverage": net_lev, "rating": rating, "payoff": payoff, "ai_income": income, "capex": X}
            for k in self.record:
                rec[k][t] = now[k]
            world["profit_pool"][t] = pool
            world["absorbed_capex"][t] = qstar
            world["stranded"][t] = stranded
            world["burst"][t] = burst
            world["shocked"][t] = shocked
        rec["spend"] = ~cut_hist
        rec["flipped"] = flipped
        return rec, world, ledger

    def _gain_fn(self, i, firms_t, market_t):
        """spend_gain(others_cut) for firm i at this year's state (for the responders)."""
        def gain(others_cut):
            runs = others_cut.shape[0]
            spend = np.empty((2, runs, self.n), dtype=bool)
            others = np.arange(self.n) != i
            spend[:, :, others] = ~others_cut
            spend[0, :, i] = True
            spend[1, :, i] = False
            pay = self.stage_terms(spend, firms_t, market_t)["payoff"][:, :, i]
            return pay[0] - pay[1]
        return gain


def _resolve(strategies, n):
    if isinstance(strategies, str):
        strategies = [s for s in strategies.split(",") if s.strip()]
        if len(strategies) == 1:
            strategies = strategies * n
    strats = resolve_strategies(strategies)
    if len(strats) != n:
        raise ParameterError("strategies", f"one strategy per firm ({n}), or a single name for all", len(strats))
    return strats


def simulate_state(scenario, strategies="always-spend", years: int = 10, runs: int = 1, seed=None,
                   noise: float = 0.0) -> StateResult:
    """Play a model scenario year by year with balance sheets, ``runs`` runs at once.

    Parameters
    ----------
    scenario : Scenario
        A model scenario (``[[players]]``), e.g. ``load_preset("2025-baseline")``.
    strategies : str or sequence
        One strategy per firm, or one name for all firms. State strategies
        (``leverage-rule``, ``junk-forced``) read the firm's balance sheet;
        ``myopic-best-response`` and ``logit-responder`` use this year's
        stage game given the firm's state.
    years : int
        Years to play, >= 1.
    runs : int
        Independent runs, >= 1.
    seed : None, int or Generator
    noise : float
        Probability that an intended action flips (BB firms still cut).

    Returns
    -------
    StateResult

    Raises
    ------
    ParameterError
        Not a model scenario, bad counts or ranges, unknown strategies.
    """
    years = check_rounds(years, "years", 1000)
    runs = check_rounds(runs, "runs")
    noise = check_noise(noise)
    players, _, _ = _model_inputs(scenario)
    strats = _resolve(strategies, len(players))
    kern = _Kernel(scenario, strats, years, noise, record=VARIABLES)
    ss = seed_sequence(seed)
    rec, world, ledger = kern.run(runs, ss)
    rec = {k: np.ascontiguousarray(v.transpose(1, 0, 2)) for k, v in rec.items()}
    world = {k: np.ascontiguousarray(v.T) for k, v in world.items()}
    ledger = {k: np.ascontiguousarray(v.transpose(1, 0, 2)) for k, v in ledger.items()}
    return StateResult(players=players, strategies=[s.name for s in strats], arrays=rec, world=world,
                       ledger=ledger, seed_entropy=ss.entropy if isinstance(ss.entropy, int) else None)
