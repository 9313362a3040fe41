"""The model's parameters: one table with labels, units, defaults and ranges.

Every market-wide parameter of ``MODEL.md`` and every per-firm field is listed
here once, under the dotted path it has in a scenario file
(``market.punishment``, ``players.Meta.capex``). Validation, the lab's sliders,
``dilemma sweep --list-params`` and the reference docs all read this table, so
a label or a range is never written twice.

Rates and shares are stored as fractions (``0.009`` is 0.9 %); the ``percent``
flag says the lab shows them multiplied by 100.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Param", "MARKET_PARAMS", "FIRM_FIELDS", "SECTIONS", "param", "market_defaults"]


@dataclass(frozen=True)
class Param:
    """One model parameter.

    Attributes
    ----------
    path : str
        Dotted path in a scenario file, e.g. ``"market.punishment"``; for a firm
        field just the field name, e.g. ``"capex"``.
    symbol : str
        The symbol used in ``docs/explanation`` (``"β"``).
    label : str
        Plain-language label for a slider or a table header.
    unit : str
        Unit shown next to the value (``"% of market value per year"``).
    default, low, high : float
        Default value and allowed closed range (in stored units).
    help : str
        One or two sentences for a tooltip.
    percent : bool
        Shown as a percentage (stored as a fraction).
    integer : bool
        Only whole numbers make sense.
    """

    path: str
    symbol: str
    label: str
    unit: str
    default: float
    low: float
    high: float
    help: str
    percent: bool = False
    integer: bool = False

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.path.split(".", 1)[-1]

    def allowed(self) -> str:
        """The allowed range in words, as error messages print it."""
        kind = "a whole number" if self.integer else "a number"
        text = f"{kind} between {self.low:g} and {self.high:g}"
        if self.percent:  # stored as a fraction; say so, since the lab shows percent
            text += f" (a fraction: {self.low * 100:g} % to {self.high * 100:g} %)"
        return text

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high and (not self.integer or float(value).is_integer())


def _p(*args, **kw) -> Param:
    return Param(*args, **kw)


MARKET_PARAMS: tuple[Param, ...] = (
    # market: how the stock market reads a cut
    _p("market.cut_depth", "c", "Depth of a cut", "share of planned capex", 0.4, 0.1, 1.0,
       "How much of its capex plan a firm drops when it cuts (1 = stops building).", percent=True),
    _p("market.punishment", "β", "Market punishment for cutting", "% of market value per year", 0.009, -0.005, 0.03,
       "Share of its market value a firm loses per year when it cuts while all others keep spending "
       "(the market reads a cut as lost AI momentum). Negative: the market rewards restraint.", percent=True),
    _p("market.punishment_shape", "γ", "Shape of the punishment", "exponent", 1.0, 0.5, 3.0,
       "How the punishment scales with the share of rivals still spending: 1 = in proportion, "
       ">1 = only bites when almost everyone else spends."),
    _p("market.unbacked_markdown", "λ", "Market markdown of unbacked capex", "$B of value per $B of unbacked capex",
       0.0, 0.0, 3.0,
       "What the market takes off a firm's value per year for each $B of capex beyond what its backing "
       "supports (the cash-covered part of operating cash flow plus contracted backlog spread over the asset "
       "life). 0 = the market does not look (the 2025 reading); 2026 moves suggest it does."),
    # demand: the AI profit pool
    _p("demand.profit_pool", "D", "AI profit pool at full demand", "$B per year", 210.0, 0.0, 600.0,
       "Yearly profit the AI build-out can earn across the industry when capacity matches demand."),
    _p("demand.absorbed_capex", "Q*", "Capex the market absorbs", "$B per year", 350.0, 100.0, 800.0,
       "Industry capex that demand can absorb at full price; beyond it, a price war sets in."),
    _p("demand.outside_capex", "Q₀", "Capex of builders outside the game", "$B per year", 50.0, 0.0, 200.0,
       "Neoclouds, sovereign funds, xAI: capacity that competes for the same profit pool."),
    _p("demand.price_war", "η", "Price-war intensity", "", 1.0, 0.0, 3.0,
       "How fast the profit pool shrinks when the industry overbuilds (0 = no price war)."),
    _p("demand.winner_take_most", "α", "Winner-take-most", "exponent", 1.0, 0.5, 3.0,
       "1 = profit shared in proportion to capacity; above 1 the biggest builders take more than their share."),
    _p("demand.delay", "L", "Delay until AI cash flows arrive", "years", 1.0, 0.0, 6.0,
       "Years between building capacity and earning on it; later profit is worth less today."),
    _p("demand.discount_rate", "r", "Discount rate", "% per year", 0.09, 0.05, 0.15,
       "Rate at which shareholders discount future cash flows.", percent=True),
    # finance: how capex is paid for
    _p("finance.asset_life", "life", "Asset life", "years", 5.0, 3.0, 10.0,
       "Years over which capex is depreciated (GPUs wear out fast, buildings slowly)."),
    _p("finance.ocf_share", "θ", "Share of operating cash flow for capex", "share", 0.8, 0.4, 1.0,
       "Part of operating cash flow a firm can put into capex before it must borrow.", percent=True),
    _p("finance.internal_rate", "r_int", "Cost of internal funds", "% per year", 0.05, 0.02, 0.08,
       "Opportunity cost of the cash-funded part of capex.", percent=True),
    _p("finance.base_rate", "r_f", "Risk-free rate", "% per year", 0.045, 0.03, 0.06,
       "Base interest rate for external financing.", percent=True),
    _p("finance.base_spread", "s₀", "Base credit spread", "% per year", 0.008, 0.003, 0.03,
       "Spread a strong borrower pays over the risk-free rate.", percent=True),
    _p("finance.spread_slope", "s₁", "Spread per turn of leverage", "% per turn", 0.01, 0.0, 0.03,
       "Extra spread for each turn of debt/EBITDA above the leverage threshold.", percent=True),
    _p("finance.leverage_threshold", "ℓ̄", "Leverage where spreads widen", "× EBITDA", 1.5, 0.5, 4.0,
       "Debt/EBITDA beyond which lenders charge more."),
    _p("finance.spv_share", "φ", "Share financed off balance sheet", "share", 0.3, 0.0, 0.8,
       "Part of the borrowed gap that goes through SPVs and leases.", percent=True),
    _p("finance.spv_premium", "π_SPV", "SPV / lease premium", "% per year", 0.02, 0.0, 0.06,
       "Extra rate SPV bonds and leases cost over the firm's own borrowing.", percent=True),
    # risk: the bubble
    _p("risk.burst_base", "p₀", "Base burst probability", "% per year", 0.05, 0.0, 0.4,
       "Chance per year that the AI bubble bursts even without overbuilding.", percent=True),
    _p("risk.burst_slope", "p₁", "Burst risk from overbuilding", "per unit of overbuild", 0.10, 0.0, 0.5,
       "Extra burst probability per unit of industry capex above what the market absorbs (Q/Q* − 1)."),
    _p("risk.burst_loss", "h", "Profit pool lost in a burst", "share", 0.5, 0.0, 0.9,
       "Share of the AI profit pool that disappears if the bubble bursts.", percent=True),
    _p("risk.salvage", "s", "Salvage value of written-down chips", "share", 0.4, 0.0, 0.8,
       "Share of short-lived capex still worth something after a burst (old chips serve inference).",
       percent=True),
    _p("risk.short_lived", "ω", "Short-lived share of capex", "share", 0.5, 0.3, 0.8,
       "Share of capex in short-lived assets (GPUs) that a burst writes down.", percent=True),
    # dynamics: the state-carrying, multi-year version only
    _p("dynamics.demand_growth", "g", "Demand growth", "% per year", 0.15, -0.3, 0.6,
       "Yearly growth of the AI profit pool until the bubble bursts.", percent=True),
    _p("dynamics.efficiency_shock", "e", "Efficiency shock", "share of Q* and D", 0.0, 0.0, 0.8,
       "Size of a 'DeepSeek moment': how much the capex the market needs (and the pool) shrinks when it hits.",
       percent=True),
    _p("dynamics.shock_probability", "p_e", "Chance of an efficiency shock", "% per year", 0.1, 0.0, 1.0,
       "Probability per year that an efficiency shock hits (once).", percent=True),
    _p("dynamics.lease_renewal", "ρ", "Lease renewal probability", "share", 0.8, 0.0, 1.0,
       "Chance that a 4-year lease block is renewed; SPV bonds run for decades regardless.", percent=True),
    _p("dynamics.lease_term", "T_lease", "Lease term", "years", 4.0, 1.0, 10.0,
       "Length of a lease block; the maturity mismatch with the SPV's bonds.", integer=True),
)

FIRM_FIELDS: tuple[Param, ...] = (
    _p("capex", "K", "Planned capex", "$B per year", 100.0, 0.0, 2000.0,
       "The firm's AI capex plan for the year (Spend keeps it; Cut scales it back)."),
    _p("ocf", "OCF", "Operating cash flow", "$B per year", 100.0, -500.0, 2000.0,
       "Cash the business generates before capex."),
    _p("cash", "cash", "Cash", "$B", 50.0, 0.0, 2000.0, "Cash and short-term investments."),
    _p("debt", "Debt", "Debt incl. leases and SPVs", "$B", 50.0, 0.0, 5000.0,
       "Debt including finance leases and off-balance-sheet obligations."),
    _p("ebitda", "EBITDA", "EBITDA", "$B per year", 100.0, 0.1, 5000.0, "Earnings before interest, taxes, depreciation and amortisation."),
    _p("market_value", "V", "Market value", "$B", 1000.0, 1.0, 50000.0, "Market capitalisation."),
    _p("edge", "w", "Competitive edge", "weight", 1.0, 0.0, 10.0,
       "Weight of the firm's capacity in winning AI profit (backlog, distribution); 1 = average."),
    _p("backlog", "B", "Contracted backlog (RPO)", "$B", 0.0, 0.0, 5000.0,
       "Remaining performance obligations: contracted revenue not yet earned. With the cash-covered part "
       "of operating cash flow it is the backing the market credits to capex (default 0: only cash flow)."),
)

SECTIONS: tuple[str, ...] = ("market", "demand", "finance", "risk", "dynamics")

_BY_PATH = {p.path: p for p in MARKET_PARAMS}
_FIRM_BY_KEY = {p.path: p for p in FIRM_FIELDS}


def param(path: str) -> Param:
    """The :class:`Param` of a market-wide dotted path or of a firm field name.

    >>> param("market.punishment").symbol
    'β'
    >>> param("capex").unit
    '$B per year'
    """
    if path in _BY_PATH:
        return _BY_PATH[path]
    if path in _FIRM_BY_KEY:
        return _FIRM_BY_KEY[path]
    raise KeyError(path)


def market_defaults() -> dict[str, float]:
    """Default value of every market-wide parameter, by dotted path."""
    return {p.path: p.default for p in MARKET_PARAMS}
