"""Shared kernel: many independent repeated games played in one batch.

Internal module. A batch is ``G`` independent games of ``N`` players each;
every (game, player) pair is a *seat*. Seats are grouped into *blocks*, one
strategy instance per block, so each round costs one vectorised ``decide``
call per block whatever the number of games. :mod:`.engine` (``runs`` copies
of one strategy profile) and :mod:`.tournament` (every pair of strategies,
every repetition) both reduce to this.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import ParameterError
from .strategies import StageTable, Strategy, resolve_strategies

__all__ = ["as_payoffs", "seed_sequence", "check_rounds", "check_noise", "check_discount",
           "Block", "run_blocks", "flat_table"]


def as_payoffs(game_or_payoffs):
    """``(payoffs, players, actions)`` of a Game-like object or a raw array.

    Accepts anything with ``.payoffs`` (shape ``(2,)*N + (N,)``) and optionally
    ``.players`` / ``.actions``, or the payoff array itself. Each player must
    have exactly two actions. The returned payoffs (and action names) are
    oriented so that index 0 is Spend (defect) and 1 is Cut, whichever order
    a game lists them in; which action is which comes from
    :func:`dilemma.equilibria.roles.resolve_roles` (the names, else inferred
    from the payoffs). A bare array carries no names: it is read in the
    layout of :func:`dilemma.payoffs.payoff_tables` (index 0 Spend, 1 Cut),
    as its actions were named so.

    Raises
    ------
    ParameterError
        If the array is not a finite two-action game.
    RolesError
        If the names do not say which action is Spend and the payoffs do not
        tell either.
    """
    from ..equilibria.roles import orient, resolve_roles

    players = getattr(game_or_payoffs, "players", None)
    actions = getattr(game_or_payoffs, "actions", None)
    raw = getattr(game_or_payoffs, "payoffs", game_or_payoffs)
    try:
        payoffs = np.array(raw, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("game", "a Game or a payoff array of shape (2,)*N + (N,)",
                             type(game_or_payoffs).__name__) from None
    if payoffs.ndim < 2:
        raise ParameterError("game", "a payoff array of shape (2,)*N + (N,)", payoffs.shape)
    n = payoffs.shape[-1]
    if payoffs.ndim != n + 1 or any(s != 2 for s in payoffs.shape[:-1]):
        raise ParameterError("game", "a Spend/Cut game: two actions per player, payoffs of shape (2,)*N + (N,)",
                             payoffs.shape)
    if not np.all(np.isfinite(payoffs)):
        raise ParameterError("game", "finite payoffs (no NaN or inf)")
    players = [str(p) for p in players] if players is not None else [f"Player {i + 1}" for i in range(n)]
    if actions is None and not hasattr(game_or_payoffs, "payoffs"):
        actions = [("Spend", "Cut")] * n          # a bare array: the payoff engine's layout
    if actions is not None:
        actions = [tuple(str(a) for a in acts) for acts in actions]
        if len(actions) == 1 and n > 1:
            actions = actions * n
    roles = resolve_roles(payoffs, actions, getattr(game_or_payoffs, "spend", None))
    payoffs = orient(payoffs, roles.spend)
    if actions is None:
        actions = [("Spend", "Cut")] * n
    else:
        actions = [acts[::-1] if s == 1 else acts for acts, s in zip(actions, roles.spend)]
    return np.ascontiguousarray(payoffs), players, actions


def seed_sequence(seed) -> np.random.SeedSequence:
    """A :class:`numpy.random.SeedSequence` from ``None``, an int >= 0, a Generator or a SeedSequence."""
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    raise ParameterError("seed", "None, a whole number >= 0 or a numpy Generator", seed)


def check_rounds(rounds, name: str = "rounds", high: int = 10_000_000) -> int:
    if isinstance(rounds, bool) or not isinstance(rounds, numbers.Integral) or not 1 <= rounds <= high:
        raise ParameterError(name, f"a whole number between 1 and {high}", rounds)
    return int(rounds)


def check_noise(noise) -> float:
    try:
        v = float(noise)
    except (TypeError, ValueError):
        raise ParameterError("noise", "a probability between 0 and 1", noise) from None
    if not 0.0 <= v <= 1.0:
        raise ParameterError("noise", "a probability between 0 and 1", noise)
    return v


def check_discount(discount) -> float:
    try:
        v = float(discount)
    except (TypeError, ValueError):
        raise ParameterError("discount", "a number with 0 < discount <= 1", discount) from None
    if not 0.0 < v <= 1.0:
        raise ParameterError("discount", "a number with 0 < discount <= 1", discount)
    return v


def check_stateless(strategies: list[Strategy]) -> None:
    for s in strategies:
        if s.needs_state:
            stateless = [n for n, c in _registry().items() if not c.needs_state]
            raise ParameterError(
                "strategies", f"strategies for stateless play ({s.name!r} needs the state-carrying engine, "
                f"dilemma.repeated.state); valid here: {', '.join(stateless)}", s.name)


def _registry():
    from .strategies import STRATEGIES
    return STRATEGIES


def flat_table(payoffs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Payoffs as ``(2**N, N)`` rows by profile index, and the bit weights (Cut = 1)."""
    n = payoffs.shape[-1]
    return payoffs.reshape(-1, n), (1 << np.arange(n - 1, -1, -1)).astype(np.intp)


class Block:
    """One strategy instance and the seats it plays: ``games[k]`` as ``player[k]``."""

    __slots__ = ("strategy", "games", "player", "others", "rng", "my", "seen", "scalar_player")

    def __init__(self, strategy: Strategy, games, player, n: int, rng):
        self.strategy = strategy
        self.games = np.asarray(games, dtype=np.intp)
        player = np.broadcast_to(np.asarray(player, dtype=np.intp), self.games.shape).copy()
        self.player = player
        self.scalar_player = int(player[0]) if len(player) and np.all(player == player[0]) else None
        # others of each seat, in player order
        allp = np.arange(n)
        self.others = np.array([allp[allp != p] for p in range(n)], dtype=np.intp).reshape(n, n - 1)[player]
        self.rng = rng


def run_blocks(payoffs: np.ndarray, blocks: list[Block], n_games: int, rounds: int,
               noise: float, noise_rng: np.random.Generator, with_flipped: bool = False):
    """Play ``rounds`` rounds of every game; return ``(cut, pay)``.

    ``cut`` is bool ``(rounds, G, N)`` (played actions, after noise) and
    ``pay`` float ``(rounds, G, N)``. With ``with_flipped``, return
    ``(cut, pay, flipped)``: ``flipped`` is bool ``(rounds, G, N)``, True
    where noise flipped the intended action (a mistake). Recording it draws
    nothing extra, so the random stream is the same either way.
    """
    n = payoffs.shape[-1]
    stage = StageTable(payoffs)
    for b in blocks:
        m = len(b.games)
        b.strategy.reset(m, player=b.scalar_player if b.scalar_player is not None else b.player, stage=stage)
        b.my = np.empty((rounds, m), dtype=bool)
        b.seen = np.empty((rounds, m, n - 1), dtype=bool)
    cut = np.empty((rounds, n_games, n), dtype=bool)
    flipped = np.zeros((rounds, n_games, n), dtype=bool) if with_flipped else None
    for t in range(rounds):
        row = cut[t]
        for b in blocks:
            d = b.strategy.decide(t, b.my[:t], b.seen[:t], None, b.rng)
            row[b.games, b.player] = d
        if noise > 0.0:
            flip = noise_rng.random((n_games, n)) < noise
            row ^= flip
            if flipped is not None:
                flipped[t] = flip
        for b in blocks:
            b.my[t] = row[b.games, b.player]
            b.seen[t] = row[b.games[:, None], b.others]
    table, weights = flat_table(payoffs)
    profile = np.zeros(cut.shape[:2], dtype=np.intp)
    for k in range(n):
        profile += cut[..., k].astype(np.intp) << (n - 1 - k)
    pay = table[profile]
    if with_flipped:
        return cut, pay, flipped
    return cut, pay


def make_blocks(strategies, n_players: int):
    """Resolve and check a strategy list for stateless play of ``n_players``."""
    strategies = resolve_strategies(strategies)
    if len(strategies) != n_players:
        raise ParameterError("strategies", f"one strategy per player ({n_players} for this game)",
                             len(strategies))
    check_stateless(strategies)
    return strategies
