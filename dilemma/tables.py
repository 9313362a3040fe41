"""Textbook payoff tables as HTML: the 2×2 bimatrix and the N-firm "against how many rivals" table.

A class starts from the payoff matrix, so it is drawn the way a textbook
prints it (Osborne 2004, ch. 2; Gibbons 1992, ch. 1): one row per action of
the row player, one column per action of the column player, and in each cell
the two payoffs **row player's first**, a comma, then the column player's.
A payoff that is a best response to the other's action is underlined (the
"underline the best responses" method); a cell where both are underlined is a
pure Nash equilibrium and is outlined.

With more than two firms a matrix no longer fits on a screen; the same style
then shows, for each firm, its payoff when it spends and when it cuts against
*how many rivals spend* (the numbers of a Schelling diagram): the better of
the two actions is underlined, and the cells of an equilibrium where all firms
spend, or all cut, are outlined.

The functions here are pure: they return an HTML string (every name from the
game escaped) for ``st.markdown(..., unsafe_allow_html=True)``. Sizes are in
``rem`` times ``scale`` (1 on a laptop, about 1.5 on a projector); the table
takes the width of its container up to a maximum, so it never overflows a
phone, and scrolls inside its own box if the numbers cannot fit.

Examples
--------
>>> from dilemma import load_preset, build_game
>>> g = build_game(load_preset("classroom-two-player"))
>>> cells = bimatrix_cells(g)
>>> [(c.row, c.col, c.equilibrium) for c in cells]
[(0, 0, True), (0, 1, False), (1, 0, False), (1, 1, False)]
>>> html = bimatrix_html(g)
>>> html.count('data-eq="1"')
1
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass

import numpy as np

__all__ = ["money_change", "Cell", "bimatrix_cells", "bimatrix_html", "rivals_rows", "rivals_html",
           "equilibria_html", "payoff_text",
           "ROW_COLOR", "COL_COLOR"]

#: Colour of the row player's payoffs and name (dark blue) and of the column player's (dark red).
ROW_COLOR = "#1f4e9c"
COL_COLOR = "#a3271f"
_TOL = 1e-9


def payoff_text(x: float, decimals: int = 1) -> str:
    """A payoff for a table: one decimal, a true minus sign, never ``−0.0`` (:func:`dilemma.format.money`).

    >>> payoff_text(15.04), payoff_text(-3.26), payoff_text(-0.04), payoff_text(float("nan"))
    ('15.0', '−3.3', '0.0', 'n/a')
    """
    from dilemma.format import money

    return money(x, unit=False, decimals=decimals)


def money_change(before: float, after: float) -> tuple[str, str, str]:
    """``before``, ``after`` and ``after - before`` as $B texts whose rounded values add up.

    One decimal when that is consistent, else two (``−$1.0B → $70.4B`` is not
    shown with a gain of ``$71.5B``).

    >>> money_change(-1.04, 70.44)
    ('−$1.04B', '$70.44B', '$71.48B')
    >>> money_change(10.0, 12.5)
    ('$10.0B', '$12.5B', '$2.5B')
    """
    from dilemma.format import money

    def value(text: str) -> float:
        return float(text.replace("$", "").replace("B", "").replace(",", "").replace("−", "-"))

    first = min(1 if min(abs(before), abs(after)) >= 1 else 2, 2)
    for d in range(first, 4):
        b, a, g = (money(x, decimals=d) for x in (before, after, after - before))
        if abs((value(a) - value(b)) - value(g)) < 0.5 * 10 ** -d:
            return b, a, g
    return b, a, g


@dataclass(frozen=True)
class Cell:
    """One cell of a 2×2 bimatrix: both payoffs, which of them is a best response, and whether it is an equilibrium."""

    row: int
    col: int
    row_payoff: float
    col_payoff: float
    row_best: bool
    col_best: bool

    @property
    def equilibrium(self) -> bool:
        """A pure Nash equilibrium: each payoff is a best response to the other's action."""
        return self.row_best and self.col_best


def bimatrix_cells(game) -> list[Cell]:
    """The cells of a two-player game's matrix, row by row.

    Raises
    ------
    ValueError
        If the game does not have exactly two players.
    """
    if game.n_players != 2:
        raise ValueError(f"a bimatrix needs two players, this game has {game.n_players}")
    pay = np.asarray(game.payoffs, dtype=float)
    cells = []
    for i in range(pay.shape[0]):
        for j in range(pay.shape[1]):
            cells.append(Cell(i, j, float(pay[i, j, 0]), float(pay[i, j, 1]),
                              bool(pay[i, j, 0] >= pay[:, j, 0].max() - _TOL),
                              bool(pay[i, j, 1] >= pay[i, :, 1].max() - _TOL)))
    return cells


def _esc(x) -> str:
    return _html.escape(str(x), quote=True)


_TABLE = ("width:100%;table-layout:fixed;border-collapse:collapse;margin:0;"
          "font-variant-numeric:tabular-nums;")
_TH = "border:none;background:none;padding:0.3em 0.4em;font-weight:600;"
_TD = ("border:1px solid #888;padding:0.6em 0.2em;text-align:center;background:#fff;"
       "white-space:normal;word-break:normal;overflow-wrap:normal;line-height:1.35;")


def _num(x: float, best: bool, color: str) -> str:
    style = f"color:{color};" + ("text-decoration:underline;text-decoration-thickness:2px;"
                                 "text-underline-offset:3px;font-weight:700;" if best else "")
    return f'<span style="{style}" data-best="{int(best)}">{_esc(payoff_text(x))}</span>'


def _wrap(inner: str, scale: float, max_px: int, label: str) -> str:
    return (f'<div class="dl-table" role="region" aria-label="{_esc(label)}" style="max-width:{int(max_px * scale)}px;'
            f'width:100%;overflow-x:auto;font-size:{1.05 * scale:.2f}rem;margin:0.2rem 0 0.6rem 0;">'
            f"{inner}</div>")


def bimatrix_html(game, scale: float = 1.0) -> str:
    """The 2×2 (or 2×k) game as a textbook bimatrix in HTML.

    Parameters
    ----------
    game : Game
        A two-player game.
    scale : float, default 1
        Type and width factor (1.5 for a projector).

    Returns
    -------
    str
        A ``<div>`` holding a ``<table>``; cells carry ``data-eq="1"`` when
        they are a pure Nash equilibrium and each payoff ``data-best="1"`` when
        it is a best response.
    """
    cells = bimatrix_cells(game)
    rp, cp = game.players
    ra, ca = game.actions
    ncol = len(ca)
    side = 34  # % of the width for the two header columns (player, action)
    cols = "".join(f'<col style="width:{(100 - side) / ncol:.2f}%">' for _ in ca)
    head = (f'<thead><tr><th colspan="2" style="{_TH}"></th>'
            f'<th colspan="{ncol}" style="{_TH}text-align:center;color:{COL_COLOR};">{_esc(cp)} plays</th></tr>'
            f'<tr><th colspan="2" style="{_TH}"></th>'
            + "".join(f'<th style="{_TH}text-align:center;">{_esc(a)}</th>' for a in ca) + "</tr></thead>")
    body = []
    for i, a in enumerate(ra):
        tds = []
        for c in cells[i * ncol:(i + 1) * ncol]:
            eq = c.equilibrium
            style = _TD + ("outline:4px solid #111;outline-offset:-4px;background:#fff8e1;" if eq else "")
            tag = ('<div style="font-size:0.72em;font-style:italic;color:#333;">Nash equilibrium</div>'
                   if eq else "")
            tds.append(f'<td style="{style}" data-eq="{int(eq)}">{_num(c.row_payoff, c.row_best, ROW_COLOR)}, '
                       f"{_num(c.col_payoff, c.col_best, COL_COLOR)}{tag}</td>")
        player = (f'<th rowspan="{len(ra)}" style="{_TH}color:{ROW_COLOR};text-align:right;vertical-align:middle;">'
                  f"{_esc(rp)}<br>plays</th>") if i == 0 else ""
        body.append(f"<tr>{player}<th style=\"{_TH}text-align:right;\">{_esc(a)}</th>{''.join(tds)}</tr>")
    inner = (f'<table style="{_TABLE}"><colgroup><col style="width:{side / 2}%"><col style="width:{side / 2}%">'
             f"{cols}</colgroup>{head}<tbody>{''.join(body)}</tbody></table>")
    return _wrap(inner, scale, 640, f"Payoff matrix: {rp} (rows) against {cp} (columns)")


def rivals_rows(game) -> list[dict]:
    """Per firm and own action, the payoff against each number of rivals spending.

    Returns
    -------
    list of dict
        One dict per firm and action (Spend first) with ``player``, ``action``,
        ``payoffs`` (list over 0..N-1 rivals spending), ``best`` (list of bool:
        this action pays at least as much as the other there) and ``outline``
        (list of bool: the cell is a firm's part of an all-spend or all-cut
        equilibrium).

    Raises
    ------
    ValueError
        If some player does not have two actions (see :meth:`Game.schelling`).
    """
    sch = game.schelling()
    if sch.empty:
        raise ValueError("the table of payoffs against rivals needs a Spend/Cut game")
    n = game.n_players
    eqs = {tuple(int(a) for a in e) for e in game.pure_equilibria()}
    from dilemma.explain import spend_cut_index

    idx = spend_cut_index(game)
    all_spend_eq = idx is not None and tuple(s for s, _ in idx) in eqs
    all_cut_eq = idx is not None and tuple(c for _, c in idx) in eqs
    rows = []
    for p in game.players:
        part = sch[sch["player"] == p].sort_values("others_spending")
        spend = part["spend"].to_numpy(dtype=float)
        cut = part["cut"].to_numpy(dtype=float)
        rows.append({"player": p, "action": "Spend", "payoffs": spend.tolist(),
                     "best": (spend >= cut - _TOL).tolist(),
                     "outline": [all_spend_eq and k == n - 1 for k in range(n)]})
        rows.append({"player": p, "action": "Cut", "payoffs": cut.tolist(),
                     "best": (cut >= spend - _TOL).tolist(),
                     "outline": [all_cut_eq and k == 0 for k in range(n)]})
    return rows


def rivals_html(game, scale: float = 1.0) -> str:
    """The N-firm table in the bimatrix's style: each firm's payoff by own action and rivals spending.

    Columns count the rivals who spend (0 to N−1); each firm has a Spend row
    and a Cut row; the better action in each column is underlined; the cells
    of an all-spend or all-cut equilibrium are outlined.
    """
    rows = rivals_rows(game)
    n = game.n_players
    side = 17  # % for the action column; a firm's name gets a row of its own (narrow screens)
    cols = "".join(f'<col style="width:{(100 - side) / n:.2f}%">' for _ in range(n))
    head = (f'<thead><tr><th style="{_TH}"></th><th colspan="{n}" style="{_TH}text-align:center;">'
            "How many rivals spend</th></tr>"
            f'<tr><th style="{_TH}text-align:right;white-space:nowrap;">It plays</th>'
            + "".join(f'<th style="{_TH}text-align:center;">{k}</th>' for k in range(n)) + "</tr></thead>")
    body = []
    for r in rows:
        first = r["action"] == "Spend"
        if first:
            body.append(f'<tr><th colspan="{n + 1}" style="{_TH}text-align:left;padding-top:0.7em;'
                        f'border-bottom:2px solid #bbb;">{_esc(r["player"])}</th></tr>')
        tds = []
        for v, best, out in zip(r["payoffs"], r["best"], r["outline"]):
            style = _TD + ("outline:4px solid #111;outline-offset:-4px;background:#fff8e1;" if out else "")
            tds.append(f'<td style="{style}" data-eq="{int(out)}">{_num(v, best, "#222")}</td>')
        body.append(f"<tr><th style=\"{_TH}text-align:right;white-space:nowrap;\">{_esc(r['action'])}</th>"
                    f"{''.join(tds)}</tr>")
    inner = (f'<table style="{_TABLE}"><colgroup><col style="width:{side}%">{cols}</colgroup>{head}'
             f'<tbody>{"".join(body)}</tbody></table>')
    return _wrap(inner, scale, 820, "Payoffs against how many rivals spend")


def equilibria_html(analysis: dict, scale: float = 1.0) -> str:
    """The equilibria of an analysis (:func:`dilemma.analysis.analyse`) as a
    table: a column per equilibrium (its name and kind on top), a row per firm
    with what the firm plays there and its payoff (two decimals).

    A firm's mix reads on its own row ("Spend 47% / Cut 53%"); with many
    equilibria the table scrolls sideways inside its box, the firms' names
    staying in view.

    >>> a = {"players": ["A", "B"], "actions": [["Spend", "Cut"], ["Spend", "Cut"]],
    ...      "equilibria": [{"label": "all spend", "kind": "pure", "payoffs": [1.0, -2.5],
    ...                      "strategy": [[1.0, 0.0], [1.0, 0.0]]},
    ...                     {"label": "A: Spend 0.25 / Cut 0.75; B: Cut 1.00", "kind": "mixed",
    ...                      "payoffs": [0.5, 0.0], "strategy": [[0.25, 0.75], [0.0, 1.0]]}]}
    >>> html = equilibria_html(a)
    >>> "Spend&nbsp;25% / Cut&nbsp;75%" in html and "−2.50" in html and "overflow-x:auto" in html
    True
    """
    eqs = analysis["equilibria"]
    cell = "padding:0.35em 0.6em;border-bottom:1px solid #ddd;"
    first = f"{cell}position:sticky;left:0;background:#fff;text-align:left;white-space:nowrap;"
    mixed = iter(range(1, 1 + sum(e["kind"] != "pure" for e in eqs)))
    names = []
    for e in eqs:  # a mixed equilibrium's full label is spelled out row by row below
        k = next(mixed) if e["kind"] != "pure" else None
        names.append(e["label"] if k is None else
                     "mixed" if sum(x["kind"] != "pure" for x in eqs) == 1 else f"mixed {k}")
    head = (f'<tr><th style="{_TH}{first}">Firm</th>'
            + "".join(f'<th style="{_TH}{cell}text-align:center;vertical-align:top;">{_esc(nm)}'
                      + ('<br><span style="font-weight:400;opacity:0.7;">pure</span>'
                         if e["kind"] == "pure" else "") + "</th>"
                      for nm, e in zip(names, eqs)) + "</tr>")
    rows = []
    for i, player in enumerate(analysis["players"]):
        acts = analysis["actions"][i]
        tds = []
        for e in eqs:
            probs = e["strategy"][i]
            used = [(a_, q) for a_, q in zip(acts, probs) if q > 1e-9]
            play = (_esc(used[0][0]) if len(used) == 1 else  # breaks only between actions
                    " / ".join(f"{_esc(a_)}&nbsp;{q:.0%}" for a_, q in used))
            tds.append(f'<td style="{cell}text-align:center;">{play}<br>'
                       f'<b>{_esc(payoff_text(e["payoffs"][i], 2))}</b></td>')
        rows.append(f'<tr><th style="{_TH}{first}">{_esc(player)}</th>{"".join(tds)}</tr>')
    inner = ('<table style="border-collapse:collapse;margin:0;font-variant-numeric:tabular-nums;">'
             f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    return _wrap(inner, scale, 1200, "Equilibria: what each firm plays and earns")
