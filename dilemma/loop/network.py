"""The capital loop as data: players (nodes) tied by committed flows (edges).

A *loop* is a directed network. A **node** is a player: a hyperscaler, a
supplier (NVIDIA, AMD), an AI lab (OpenAI, xAI), a special-purpose vehicle
(Meta's Beignet, the Jacquard project loans), a lender or an investor. A
**flow** is money one node has committed to pay another: an amount per year
($B) for a tenor (years), of one kind:

========== ============================================ ===================
kind       what it is                                   counts, for the payee,
========== ============================================ ===================
purchase   chips, cloud capacity, compute contracts     revenue and backlog
lease      rent on a data centre or on leased chips     revenue and backlog
debt       interest and principal an SPV owes lenders   revenue and backlog
investment equity put in (``stake`` = what is at risk)  funding
loan       money lent to an SPV                         funding
========== ============================================ ===================

``purchase`` and ``investment`` are *discretionary*: a payer forced to cut
(its rating fell to BB) scales them back by the cut depth. ``lease``, ``debt``
and ``loan`` are *contractual*: they stop only when the payer fails.

Loops ship as TOML files in ``dilemma/presets/loops/`` (one ``[[nodes]]``
table per player, one ``[[flows]]`` table per flow, each flow with its
``source``). They are validated like scenarios: an error names the file, the
field and what is allowed, and an unknown key or name gets a did-you-mean.

Examples
--------
>>> loop = load_loop("openai-2025")
>>> loop.node("Oracle").kind, loop.node("Oracle").firm
('hyperscaler', 'Oracle')
>>> f = loop.flow("OpenAI->Oracle")
>>> f.amount, f.tenor, f.kind
(60.0, 5.0, 'purchase')
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from ..errors import ScenarioError
from ..parameters import Param
from ..scenario import _check_keys, _check_number, _check_text, _check_text_list, _suggest

__all__ = ["Node", "Flow", "Loop", "KINDS", "FLOW_KINDS", "REVENUE_KINDS", "FUNDING_KINDS",
           "DISCRETIONARY_KINDS", "NODE_FIELDS", "FLOW_FIELDS", "LOOP_DIR", "list_loops", "loop_path",
           "load_loop", "loads_loop", "loop_from_dict"]

#: Folder of the shipped loops (package data).
LOOP_DIR = Path(str(resources.files("dilemma").joinpath("presets", "loops")))

#: Kinds of player.
KINDS = ("hyperscaler", "supplier", "lab", "spv", "lender", "investor")
#: Kinds of flow.
FLOW_KINDS = ("purchase", "lease", "debt", "investment", "loan")
#: Flows that are revenue (and backlog) for the payee.
REVENUE_KINDS = ("purchase", "lease", "debt")
#: Flows that are funding for the payee.
FUNDING_KINDS = ("investment", "loan")
#: Flows a payer forced to cut scales back (the others stop only if it fails).
DISCRETIONARY_KINDS = ("purchase", "investment")


def _f(path, label, unit, low, high, help_, default=0.0) -> Param:
    return Param(path, path, label, unit, default, low, high, help_)


#: Numeric fields of a node (all optional), with units and allowed ranges.
NODE_FIELDS: tuple[Param, ...] = (
    _f("revenue", "Revenue", "$B per year", 0.0, 5000.0, "Latest yearly revenue."),
    _f("ebitda", "EBITDA", "$B per year", 0.01, 5000.0,
       "Earnings before interest, taxes, depreciation and amortisation; with debt it gives the rating."),
    _f("debt", "Debt incl. leases", "$B", 0.0, 5000.0, "Debt including leases and off-balance-sheet obligations."),
    _f("cash", "Cash", "$B", 0.0, 5000.0, "Cash and short-term investments (net leverage = (debt - cash)/EBITDA)."),
    _f("backlog", "Backlog (RPO)", "$B", 0.0, 5000.0, "Contracted revenue not yet earned."),
    _f("coverage", "Debt-service coverage", "× (income / debt service)", 0.0, 100.0,
       "How many times its income covers what it must pay; below 1 the node defaults."),
)
#: Numeric fields of a flow.
FLOW_FIELDS: tuple[Param, ...] = (
    _f("amount", "Amount", "$B per year", 0.0, 2000.0, "Committed payment per year."),
    _f("tenor", "Tenor", "years", 0.25, 50.0, "Years the commitment runs (backlog = amount × tenor)."),
    _f("margin", "Payee's margin", "share of the amount", 0.0, 1.0,
       "Share of the flow that is EBITDA for the payee (default: its EBITDA/revenue, else 1)."),
    _f("stake", "Stake at risk", "$B", 0.0, 5000.0, "For an investment: what the payer loses if the payee fails."),
)
_NODE_NUM = {p.path: p for p in NODE_FIELDS}
_FLOW_NUM = {p.path: p for p in FLOW_FIELDS}
_NODE_KEYS = ("name", "kind", "firm", "source") + tuple(_NODE_NUM)
_FLOW_KEYS = ("from", "to", "kind", "source", "note") + tuple(_FLOW_NUM)
_TOP_KEYS = ("title", "description", "sources", "nodes", "flows")


@dataclass(frozen=True)
class Node:
    """One player of the loop ($B; flows per year). Fields left out of the file are None."""

    name: str
    kind: str
    firm: str | None = None
    revenue: float | None = None
    ebitda: float | None = None
    debt: float | None = None
    cash: float = 0.0
    backlog: float | None = None
    coverage: float | None = None
    source: str = ""

    @property
    def net_leverage(self) -> float | None:
        """(debt - cash) / EBITDA, floored at 0; None without debt and EBITDA."""
        if self.debt is None or self.ebitda is None:
            return None
        return max(0.0, self.debt - self.cash) / self.ebitda


@dataclass(frozen=True)
class Flow:
    """One committed flow from ``payer`` to ``payee``."""

    payer: str
    payee: str
    amount: float
    tenor: float
    kind: str
    source: str
    margin: float | None = None
    stake: float = 0.0
    note: str = ""

    @property
    def key(self) -> str:
        """``"Payer->Payee"``, or ``"Payer->Payee:kind"`` when the pair has flows of several kinds."""
        return f"{self.payer}->{self.payee}"

    @property
    def committed(self) -> float:
        """Amount × tenor: the backlog the flow represents ($B)."""
        return self.amount * self.tenor


@dataclass(frozen=True)
class Loop:
    """A validated loop (immutable and hashable).

    Attributes
    ----------
    title, description : str
    nodes : tuple of Node
    flows : tuple of Flow
    sources : tuple of str
    source : str or None
        The file it was read from.
    """

    title: str
    nodes: tuple[Node, ...]
    flows: tuple[Flow, ...]
    description: str = ""
    sources: tuple[str, ...] = ()
    source: str | None = field(default=None, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes)

    def node(self, name: str) -> Node:
        """The node called ``name`` (ScenarioError with a did-you-mean otherwise)."""
        for n in self.nodes:
            if n.name == name:
                return n
        raise ScenarioError(f"unknown node {name!r}{_suggest(name, self.names)}; nodes: {', '.join(self.names)}",
                            source=self.source, field="nodes")

    def flow_keys(self) -> list[str]:
        """Every flow's key (``"A->B"``; ``"A->B:kind"`` where a pair has several kinds)."""
        return [flow_key(self, f) for f in self.flows]

    def flow(self, key: str) -> Flow:
        """The flow with this key (``"OpenAI->Oracle"``)."""
        keys = self.flow_keys()
        if key in keys:
            return self.flows[keys.index(key)]
        raise ScenarioError(f"unknown flow {key!r}{_suggest(key, keys)}", source=self.source, field="flows")

    def outflows(self, name: str) -> list[int]:
        """Indices of the flows ``name`` pays."""
        return [k for k, f in enumerate(self.flows) if f.payer == name]

    def inflows(self, name: str) -> list[int]:
        """Indices of the flows ``name`` receives."""
        return [k for k, f in enumerate(self.flows) if f.payee == name]

    def margin(self, flow: Flow) -> float:
        """Share of ``flow`` that is EBITDA for its payee: the flow's margin, else EBITDA/revenue, else 1."""
        if flow.margin is not None:
            return flow.margin
        payee = self.node(flow.payee)
        if payee.ebitda is not None and payee.revenue:
            return min(1.0, payee.ebitda / payee.revenue)
        return 1.0


def flow_key(loop: Loop, f: Flow) -> str:
    same = [g for g in loop.flows if g.payer == f.payer and g.payee == f.payee]
    return f.key if len(same) == 1 else f"{f.key}:{f.kind}"


# ---- loading -------------------------------------------------------------------------


def list_loops() -> list[str]:
    """Names of the shipped loops.

    >>> "openai-2025" in list_loops()
    True
    """
    return sorted(p.stem for p in LOOP_DIR.glob("*.toml"))


def loop_path(name: str) -> Path:
    """Path of a shipped loop, or of a file; ScenarioError with the nearest name otherwise."""
    p = Path(name)
    if p.suffix == ".toml" and p.exists():
        return p
    stem = name[:-5] if name.endswith(".toml") else name
    cand = LOOP_DIR / f"{stem}.toml"
    if cand.is_file():
        return cand
    names = list_loops()
    raise ScenarioError(f"no such loop file{_suggest(stem, names)}; shipped loops: {', '.join(names)}",
                        source=name)


def load_loop(name: str | Path) -> Loop:
    """Read and validate a loop: a shipped name (``"openai-2025"``) or a TOML file."""
    p = loop_path(str(name))
    src = str(name) if Path(str(name)).suffix else str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot be read ({exc})", source=src) from None
    return loads_loop(text, source=src)


def loads_loop(text: str, source: str = "<string>") -> Loop:
    """Parse and validate loop TOML text."""
    if not text.strip():
        raise ScenarioError("the file is empty; expected [[nodes]] and [[flows]] tables", source=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML ({exc})", source=source) from None
    return loop_from_dict(data, source=source)


def _table_list(data, key, source) -> list:
    raw = data.get(key)
    if not isinstance(raw, list) or not raw or not all(isinstance(r, Mapping) for r in raw):
        raise ScenarioError(f"expected one or more [[{key}]] tables", source=source, field=key)
    return raw


def _choice(val, options, fld, source) -> str:
    val = _check_text(val, fld, source)
    if val not in options:
        raise ScenarioError(f"must be one of {', '.join(options)}, got {val!r}{_suggest(val, options)}",
                            source=source, field=fld)
    return val


def loop_from_dict(data: Mapping[str, Any], source: str | None = None) -> Loop:
    """Validate plain data (as read from TOML) into a :class:`Loop`.

    Raises
    ------
    ScenarioError
        Unknown keys (with a did-you-mean), missing or duplicate names, flows
        between unknown nodes, numbers out of range; the message names the
        file, the field and what is allowed.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError("expected a table at the top level", source=source)
    _check_keys(data, _TOP_KEYS, "", source)
    title = _check_text(data.get("title", Path(source).stem if source else "Untitled loop"), "title", source)
    description = _check_text(data.get("description", ""), "description", source)
    sources = _check_text_list(data.get("sources", []), "sources", source)
    nodes: list[Node] = []
    seen: set[str] = set()
    for k, row in enumerate(_table_list(data, "nodes", source)):
        where = f"nodes[{k}]"
        _check_keys(row, _NODE_KEYS, where, source)
        for req in ("name", "kind"):
            if req not in row:
                raise ScenarioError(f"missing required key {req!r}", source=source, field=where)
        name = _check_text(row["name"], f"{where}.name", source).strip()
        if not name or "->" in name or ":" in name:
            raise ScenarioError("must be a non-empty name without '->' or ':'", source=source, field=f"{where}.name")
        if name in seen:
            raise ScenarioError(f"duplicate node name {name!r}", source=source, field=f"{where}.name")
        seen.add(name)
        kind = _choice(row["kind"], KINDS, f"nodes.{name}.kind", source)
        nums = {key: _check_number(v, _NODE_NUM[key], f"nodes.{name}.{key}", source)
                for key, v in row.items() if key in _NODE_NUM}
        firm = _check_text(row["firm"], f"nodes.{name}.firm", source) if "firm" in row else None
        nodes.append(Node(name=name, kind=kind, firm=firm, source=_check_text(row.get("source", ""),
                          f"nodes.{name}.source", source), **nums))
    names = [n.name for n in nodes]
    flows: list[Flow] = []
    seen_flows: set[tuple[str, str, str]] = set()
    for k, row in enumerate(_table_list(data, "flows", source)):
        where = f"flows[{k}]"
        _check_keys(row, _FLOW_KEYS, where, source)
        for req in ("from", "to", "amount", "tenor", "kind", "source"):
            if req not in row:
                raise ScenarioError(f"missing required key {req!r} (every flow needs a source)",
                                    source=source, field=where)
        ends = {}
        for end in ("from", "to"):
            who = _check_text(row[end], f"{where}.{end}", source)
            if who not in names:
                raise ScenarioError(f"unknown node {who!r}{_suggest(who, names)}; nodes: {', '.join(names)}",
                                    source=source, field=f"{where}.{end}")
            ends[end] = who
        if ends["from"] == ends["to"]:
            raise ScenarioError("a flow needs two different nodes", source=source, field=where)
        kind = _choice(row["kind"], FLOW_KINDS, f"{where}.kind", source)
        if (ends["from"], ends["to"], kind) in seen_flows:
            raise ScenarioError(f"duplicate {kind} flow {ends['from']}->{ends['to']}", source=source, field=where)
        seen_flows.add((ends["from"], ends["to"], kind))
        nums = {key: _check_number(v, _FLOW_NUM[key], f"{where}.{key}", source)
                for key, v in row.items() if key in _FLOW_NUM}
        if "stake" in nums and kind != "investment":
            raise ScenarioError("only an investment flow has a stake", source=source, field=f"{where}.stake")
        flows.append(Flow(payer=ends["from"], payee=ends["to"], kind=kind,
                          source=_check_text(row["source"], f"{where}.source", source),
                          note=_check_text(row.get("note", ""), f"{where}.note", source), **nums))
    firms = [n.firm for n in nodes if n.firm]
    if len(set(firms)) != len(firms):
        raise ScenarioError("two nodes name the same scenario firm", source=source, field="nodes.firm")
    return Loop(title=title, description=description, nodes=tuple(nodes), flows=tuple(flows),
                sources=sources, source=source)
