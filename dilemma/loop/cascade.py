r"""The cascade: one player stops paying, and the loss travels round by round.

A shock makes some nodes stop paying (a *failure*: every outflow stops), some
scale back (a *cut*: the discretionary outflows, purchases and investments,
fall by the cut depth *c*), or single flows stop (a lease that is not
renewed). Then, round by round:

1. every flow is paid at its full amount, unless its payer has failed (0),
   has been forced to cut (discretionary flows :math:`(1-c)` of the amount)
   or the flow itself was shocked (0);
2. every node adds up what it no longer receives, against the full loop:
   lost **revenue** (purchase, lease and debt-service inflows, per year),
   lost **funding** (investments and loans), lost **backlog** (lost amount
   × tenor), lost **EBITDA** (lost revenue × the payee's margin on the flow)
   and, for an investor whose payee failed, the **stake** written off;
3. every node that has the figures is tested:

   * **rating** (a node with debt and EBITDA): net leverage
     :math:`\ell = \max(0, \mathrm{debt} - \mathrm{cash}) / (\mathrm{EBITDA} - \text{lost EBITDA})`
     against the tiers of ``MODEL.md`` (≤ 1× AA, ≤ 2× A, ≤ 4× BBB, above
     BB; :func:`dilemma.repeated.state.rating_of`). A node whose tier worsens
     is *downgraded*; one that falls into BB is **forced to cut**;
   * **coverage** (an SPV, or a node with a public ``coverage`` figure):
     income over debt service, :math:`\kappa_0` from the file (or from the
     loop's own flows) scaled by the share of income still paid. A node whose
     coverage falls below 1 **fails**;
   * a node with neither figure is not tested (it is marked so): a lab that
     lives on investors' money, a lender, an investor.

A node that breaks in round *k* changes what it pays in round *k + 1*.
States only worsen (ok → downgraded → cut → failed), so the cascade reaches
a fixed point: a round in which no node's state changes, after at most three
rounds per node.

Examples
--------
A hand-worked network: a lab L buys 10/yr for 3 years from a cloud C
(margin 0.5), C buys 6/yr of chips from a supplier S, and C rents a site from
an SPV P for 2/yr, which pays its lenders B 1.5/yr. C has debt 20, EBITDA 6:
net leverage 3.3× (BBB). When L fails, C loses 10 of revenue and 5 of
EBITDA; its leverage becomes 20/1 = 20× (BB) and it is forced to cut, so in
round 2 it buys 40 % less from S (a cut, not a failure: P's rent is still
paid, P and B are untouched).

>>> from dilemma.loop.network import loop_from_dict
>>> toy = loop_from_dict({
...     "nodes": [{"name": "L", "kind": "lab"},
...               {"name": "C", "kind": "hyperscaler", "debt": 20, "ebitda": 6},
...               {"name": "S", "kind": "supplier"},
...               {"name": "P", "kind": "spv"}, {"name": "B", "kind": "lender"}],
...     "flows": [{"from": "L", "to": "C", "amount": 10, "tenor": 3, "kind": "purchase", "margin": 0.5, "source": "t"},
...               {"from": "C", "to": "S", "amount": 6, "tenor": 1, "kind": "purchase", "source": "t"},
...               {"from": "C", "to": "P", "amount": 2, "tenor": 4, "kind": "lease", "source": "t"},
...               {"from": "P", "to": "B", "amount": 1.5, "tenor": 20, "kind": "debt", "source": "t"}]})
>>> res = cascade(toy, fail=["L"], cut_depth=0.4)
>>> [(r.number, [b.name for b in r.broken]) for r in res.rounds]
[(1, ['C']), (2, [])]
>>> res.node("C").state, res.node("C").backlog_lost, round(res.node("S").revenue_lost, 9)
('cut', 30.0, 2.4)
>>> res.fixed_point
True
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from ..errors import ParameterError
from ..scenario import _suggest
from .network import DISCRETIONARY_KINDS, FUNDING_KINDS, REVENUE_KINDS, Loop

__all__ = ["cascade", "run_cascade", "CascadeResult", "NodeOutcome", "FlowOutcome", "Round", "Broken", "STATES", "parse_shock"]

#: Node states, from best to worst.
STATES = ("ok", "downgraded", "cut", "failed")
_RANK = {s: k for k, s in enumerate(STATES)}
_TOL = 1e-9


@dataclass(frozen=True)
class Broken:
    """A node whose state worsened in a round, and why."""

    name: str
    state: str
    reason: str


@dataclass(frozen=True)
class NodeOutcome:
    """What the cascade did to one node ($B; per year unless said). Ratios are None where untested."""

    name: str
    kind: str
    firm: str | None
    state: str
    round: int | None          # round it broke (0: the shock itself), None if never
    reason: str
    test: str                  # "rating", "coverage" or "none"
    revenue_lost: float
    funding_lost: float
    backlog_lost: float        # $B in total (amount x tenor)
    ebitda_lost: float
    stake_lost: float          # $B
    exposure: float            # $B: committed inflows + outflows (amount x tenor) + stakes, for sizing
    leverage_before: float | None = None
    leverage_after: float | None = None
    rating_before: str | None = None
    rating_after: str | None = None
    coverage_before: float | None = None
    coverage_after: float | None = None


@dataclass(frozen=True)
class FlowOutcome:
    """One flow after the cascade."""

    key: str
    payer: str
    payee: str
    kind: str
    amount: float
    tenor: float
    paid: float                # per year, after the cascade
    lost: float                # amount - paid
    backlog_lost: float        # lost x tenor
    round: int | None          # round it stopped or shrank, None if untouched
    source: str


@dataclass(frozen=True)
class Round:
    """One round: what was paid, who lost what, who broke.

    ``paid`` and ``states`` are snapshots of every flow and node after the
    round (for stepping through the cascade); ``changed`` lists the flows
    whose payment changed in this round.
    """

    number: int
    changed: tuple[str, ...]
    broken: tuple[Broken, ...]
    paid: tuple[float, ...]
    states: tuple[str, ...]
    revenue_lost: tuple[float, ...]    # per node, cumulative
    backlog_lost: tuple[float, ...]


@dataclass(frozen=True)
class CascadeResult:
    """The cascade's rounds and final losses; :meth:`to_dict` is JSON-ready."""

    loop: Loop
    shock: tuple[str, ...]
    cut_depth: float
    rounds: tuple[Round, ...]
    nodes: tuple[NodeOutcome, ...]
    flows: tuple[FlowOutcome, ...]
    fixed_point: bool
    shock_states: tuple[str, ...] = field(default=())

    def node(self, name: str) -> NodeOutcome:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    def flow(self, key: str) -> FlowOutcome:
        for f in self.flows:
            if f.key == key:
                return f
        raise KeyError(key)

    def to_dict(self) -> dict:
        def clean(d):
            return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}

        names = self.loop.names
        keys = [f.key for f in self.flows]
        return {
            "loop": self.loop.title,
            "shock": list(self.shock),
            "cut_depth": self.cut_depth,
            "fixed_point": self.fixed_point,
            "nodes": [clean(asdict(n)) for n in self.nodes],
            "flows": [clean(asdict(f)) for f in self.flows],
            "rounds": [{
                "round": r.number,
                "flows_changed": [{"flow": k, "paid": r.paid[keys.index(k)]} for k in r.changed],
                "broken": [asdict(b) for b in r.broken],
                "states": dict(zip(names, r.states)),
            } for r in self.rounds],
        }


def parse_shock(loop: Loop, items) -> tuple[list[str], list[int]]:
    """Split shock names into failing nodes and stopped flows (``"A->B"``), with a did-you-mean."""
    if isinstance(items, str):
        items = [items]
    nodes, flows = [], []
    keys = loop.flow_keys()
    for item in items:
        if item in loop.names:
            nodes.append(item)
        elif item in keys:
            flows.append(keys.index(item))
        else:
            options = list(loop.names) + keys
            raise ParameterError("fail", f"a node or a flow (A->B) of the loop{_suggest(item, options)}; "
                                 f"nodes: {', '.join(loop.names)}", item)
    return nodes, flows


def _rating_name(tier: int) -> str:
    from ..repeated.strategies import RATINGS

    return RATINGS[tier]


def cascade(loop: Loop, fail=(), *, cut=(), cut_depth: float = 0.4, max_rounds: int | None = None) -> CascadeResult:
    """Run the cascade of a shock through a loop to its fixed point.

    Parameters
    ----------
    loop : Loop
    fail : str or sequence of str
        Nodes that stop paying everything, and flows (``"Meta->Beignet"``)
        that stop (a lease not renewed).
    cut : sequence of str
        Nodes that scale back their discretionary outflows by ``cut_depth``
        (a hyperscaler cuts).
    cut_depth : float, default 0.4
        Share of purchases and investments a node forced to cut drops (the
        scenario's ``market.cut_depth``), between 0.1 and 1.
    max_rounds : int, optional
        Safety bound; default 3 × nodes + 2, more than a cascade can take.

    Returns
    -------
    CascadeResult

    Raises
    ------
    ParameterError
        An unknown node or flow (with the nearest name), an empty shock, or a
        cut depth out of range.
    """
    if not (0.1 <= float(cut_depth) <= 1.0):
        raise ParameterError("cut_depth", "a number between 0.1 and 1", cut_depth)
    fail_nodes, fail_flows = parse_shock(loop, fail)
    cut_nodes, cut_flows = parse_shock(loop, cut)
    if cut_flows:
        raise ParameterError("cut", "node names (a flow can only be stopped, with fail)", cut)
    if not (fail_nodes or fail_flows or cut_nodes):
        raise ParameterError("fail", "at least one node or flow to shock", list(fail))
    names = loop.names
    idx = {n: k for k, n in enumerate(names)}
    nn, flows = len(names), loop.flows
    states = ["ok"] * nn
    broke_at: list[int | None] = [None] * nn
    reasons = [""] * nn
    for n in cut_nodes:
        states[idx[n]], broke_at[idx[n]], reasons[idx[n]] = "cut", 0, "shock: cuts its purchases and investments"
    for n in fail_nodes:
        states[idx[n]], broke_at[idx[n]], reasons[idx[n]] = "failed", 0, "shock: stops paying"
    stopped = set(fail_flows)
    margins = [loop.margin(f) for f in flows]
    c = float(cut_depth)

    def pay(states) -> list[float]:
        out = []
        for k, f in enumerate(flows):
            s = states[idx[f.payer]]
            if k in stopped or s == "failed":
                out.append(0.0)
            elif s == "cut" and f.kind in DISCRETIONARY_KINDS:
                out.append(f.amount * (1.0 - c))
            else:
                out.append(f.amount)
        return out

    def losses(paid, states):
        rev, fund, back, ebit, stake = ([0.0] * nn for _ in range(5))
        for k, f in enumerate(flows):
            lost = f.amount - paid[k]
            j = idx[f.payee]
            if f.kind in REVENUE_KINDS:
                rev[j] += lost
                ebit[j] += lost * margins[k]
                back[j] += lost * f.tenor
            elif f.kind in FUNDING_KINDS:
                fund[j] += lost
                back[j] += lost * f.tenor
            if f.kind == "investment" and states[j] == "failed":
                stake[idx[f.payer]] += f.stake
        return rev, fund, back, ebit, stake

    def income(j, paid):
        return sum(paid[k] for k in loop.inflows(names[j]) if flows[k].kind in REVENUE_KINDS)

    full = [f.amount for f in flows]
    cov0 = []
    for j, node in enumerate(loop.nodes):
        debt_out = sum(flows[k].amount for k in loop.outflows(node.name) if flows[k].kind == "debt")
        if node.coverage is not None:
            cov0.append(node.coverage)
        elif node.kind == "spv" and debt_out > 0:
            cov0.append(income(j, full) / debt_out)
        else:
            cov0.append(None)

    def test(j, ebit_lost, paid):
        """(new state, reason, ratios) of node j given its losses; never better than now."""
        from ..repeated.state import rating_of

        node = loop.nodes[j]
        out = {"test": "none"}
        state, reason = states[j], reasons[j]
        if node.debt is not None and node.ebitda is not None:
            nd = max(0.0, node.debt - node.cash)
            e_after = node.ebitda - ebit_lost
            lb = nd / node.ebitda
            la = nd / e_after if e_after > _TOL else math.inf
            tb, ta = int(rating_of(lb)), (3 if not math.isfinite(la) else int(rating_of(la)))
            out.update(test="rating", leverage_before=lb, leverage_after=la,
                       rating_before=_rating_name(tb), rating_after=_rating_name(ta))
            if ta > tb:
                why = (f"net leverage {lb:.1f}× → {'∞' if not math.isfinite(la) else f'{la:.1f}'}×: "
                       f"{_rating_name(tb)} → {_rating_name(ta)}")
                if ta == 3 and _RANK[state] < _RANK["cut"]:
                    state, reason = "cut", why + ", forced to cut"
                elif _RANK[state] < _RANK["downgraded"]:
                    state, reason = "downgraded", why
        if cov0[j] is not None:
            inc0 = income(j, full)
            ca = cov0[j] * (income(j, paid) / inc0) if inc0 > _TOL else cov0[j]
            out.update(test="coverage" if out["test"] == "none" else "rating+coverage",
                       coverage_before=cov0[j], coverage_after=ca)
            if ca < 1.0 - _TOL and cov0[j] >= 1.0 - _TOL and state != "failed":
                state, reason = "failed", f"coverage {cov0[j]:.2f}× → {ca:.2f}×: cannot service its debt, defaults"
        return state, reason, out

    keys = loop.flow_keys()
    limit = max_rounds if max_rounds is not None else 3 * nn + 2
    rounds: list[Round] = []
    prev = full
    fixed = False
    for r in range(1, limit + 1):
        paid = pay(states)
        rev, fund, back, ebit, stake = losses(paid, states)
        new = list(states)
        broken = []
        for j in range(nn):
            s, why, _ = test(j, ebit[j], paid)
            if _RANK[s] > _RANK[states[j]]:
                new[j], reasons[j] = s, why
                broke_at[j] = r
                broken.append(Broken(names[j], s, why))
        changed = tuple(keys[k] for k in range(len(flows)) if abs(paid[k] - prev[k]) > _TOL)
        states = new
        rounds.append(Round(r, changed, tuple(broken), tuple(paid), tuple(states), tuple(rev), tuple(back)))
        prev = paid
        if not broken:
            fixed = True
            break

    paid = pay(states)
    rev, fund, back, ebit, stake = losses(paid, states)
    changed_in: dict[int, int] = {}
    for rd in rounds:
        for key in rd.changed:
            changed_in.setdefault(keys.index(key), rd.number)
    expo = [0.0] * nn
    for f in flows:
        expo[idx[f.payer]] += f.committed + f.stake
        expo[idx[f.payee]] += f.committed
    node_out = []
    for j, node in enumerate(loop.nodes):
        _, _, ratios = test(j, ebit[j], paid)
        node_out.append(NodeOutcome(
            name=node.name, kind=node.kind, firm=node.firm, state=states[j], round=broke_at[j],
            reason=reasons[j], revenue_lost=rev[j], funding_lost=fund[j], backlog_lost=back[j],
            ebitda_lost=ebit[j], stake_lost=stake[j], exposure=expo[j], **ratios))
    flow_out = tuple(FlowOutcome(
        key=keys[k], payer=f.payer, payee=f.payee, kind=f.kind, amount=f.amount, tenor=f.tenor,
        paid=paid[k], lost=f.amount - paid[k], backlog_lost=(f.amount - paid[k]) * f.tenor,
        round=changed_in.get(k), source=f.source) for k, f in enumerate(flows))
    shock = tuple(fail_nodes) + tuple(keys[k] for k in fail_flows) + tuple(f"cut:{n}" for n in cut_nodes)
    return CascadeResult(loop=loop, shock=shock, cut_depth=c, rounds=tuple(rounds), nodes=tuple(node_out),
                         flows=flow_out, fixed_point=fixed)


#: The package-level name of :func:`cascade` (``from dilemma.loop import run_cascade``).
run_cascade = cascade
