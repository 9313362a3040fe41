r"""Round-robin tournaments of strategies on a two-player Spend/Cut game.

Each distinct pair of strategies meets once per repetition (self-play only
with ``self_play=True``); in an asymmetric game each pair meets in both
seatings. A match is ``rounds`` rounds of the stage game. All matches of all
repetitions are played **in one batch**: per round, each strategy decides for
every seat it occupies in one vectorised call, so a tournament costs
``rounds x strategies`` small numpy calls whatever the number of matches.

Scores
------
``pairwise[i, j]`` is strategy *i*'s mean payoff per round against *j*,
averaged over repetitions (and seatings); ``scores[i]`` is the mean of row
*i* over its opponents, i.e. its mean payoff per round over all its matches
(a self-play match counts once, at the mean of its two seats). The ranking
sorts scores best first (ties keep input order).

Unlike :class:`axelrod.Tournament`, which always includes self-play, self-play
here is opt-in.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)  # Spend=0, Cut=1
>>> t = round_robin(pd, ["always-spend", "tit-for-tat", "always-cut"], rounds=10)
>>> t.ranking
['always-spend', 'tit-for-tat', 'always-cut']
>>> round(t.scores["tit-for-tat"], 2)       # (0.9 against always-spend + 3 against always-cut) / 2
1.95
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ._batch import Block, as_payoffs, check_noise, check_rounds, check_stateless, run_blocks, seed_sequence
from .strategies import resolve_strategies

__all__ = ["round_robin", "TournamentResult", "play_pairs", "strategy_labels", "two_firm_game"]


@dataclass
class TournamentResult:
    """Outcome of :func:`round_robin`.

    Attributes
    ----------
    strategies : list of str
        Labels, in input order.
    scores : dict of str to float
        Mean payoff per round over all the strategy's matches.
    ranking : list of str
        Labels, best score first.
    pairwise : ndarray, shape ``(k, k)``
        Row's mean payoff per round against the column (NaN on the diagonal
        without self-play).
    repetition_scores : ndarray, shape ``(repetitions, k)``
        Scores within each repetition.
    cooperation : ndarray, shape ``(k, k)``
        Share of rounds in which the row strategy cut against the column.
    """

    strategies: list
    scores: dict
    ranking: list
    pairwise: np.ndarray
    repetition_scores: np.ndarray
    cooperation: np.ndarray
    rounds: int
    repetitions: int
    noise: float
    self_play: bool
    seed_entropy: int | None = None

    @property
    def pairwise_frame(self):
        """``pairwise`` as a :class:`pandas.DataFrame` (rows: strategy, columns: opponent)."""
        import pandas as pd

        return pd.DataFrame(self.pairwise, index=pd.Index(self.strategies, name="strategy"),
                            columns=pd.Index(self.strategies, name="opponent"))

    @property
    def frame(self):
        """Tidy ranking: ``rank, strategy, score, cooperation``."""
        import pandas as pd

        idx = [self.strategies.index(s) for s in self.ranking]
        with np.errstate(invalid="ignore"):
            coop = np.nanmean(self.cooperation, axis=1)
        return pd.DataFrame({"rank": np.arange(1, len(idx) + 1), "strategy": self.ranking,
                             "score": [self.scores[s] for s in self.ranking], "cooperation": coop[idx]})

    def to_dict(self) -> dict:
        """JSON-ready: ``scores``, ``ranking``, ``pairwise`` (row -> column -> value) and settings."""
        def num(x):
            return None if not np.isfinite(x) else float(x)
        return {
            "strategies": list(self.strategies),
            "scores": {k: float(v) for k, v in self.scores.items()},
            "ranking": list(self.ranking),
            "pairwise": {a: {b: num(self.pairwise[i, j]) for j, b in enumerate(self.strategies)}
                         for i, a in enumerate(self.strategies)},
            "cooperation": {a: {b: num(self.cooperation[i, j]) for j, b in enumerate(self.strategies)}
                            for i, a in enumerate(self.strategies)},
            "rounds": self.rounds,
            "repetitions": self.repetitions,
            "noise": self.noise,
            "self_play": self.self_play,
            "seed_entropy": self.seed_entropy,
        }


def strategy_labels(specs, strategies) -> list[str]:
    """Unique labels: the spec string if given, else the name; duplicates get ``#2``..."""
    labels = []
    for spec, s in zip(specs, strategies):
        base = spec if isinstance(spec, str) else s.name
        base = base.strip()
        label, k = base, 2
        while label in labels:
            label, k = f"{base}#{k}", k + 1
        labels.append(label)
    return labels


def play_pairs(payoffs: np.ndarray, strategies, pairs: np.ndarray, rounds: int, noise: float,
               ss: np.random.SeedSequence):
    """Play match ``m`` between ``strategies[pairs[m, 0]]`` (player 1) and ``[pairs[m, 1]]`` (player 2).

    All matches in one batch; returns ``(mean_payoff, cut_share)``, each of
    shape ``(M, 2)``: mean payoff per round and share of rounds cut per seat.
    """
    pairs = np.asarray(pairs, dtype=np.intp)
    n_games = len(pairs)
    children = ss.spawn(len(strategies) + 1)
    blocks = []
    for k, s in enumerate(strategies):
        games, seat = np.nonzero(pairs == k)
        if len(games):
            blocks.append(Block(s.copy(), games, seat, 2, np.random.default_rng(children[k])))
    cut, pay = run_blocks(payoffs, blocks, n_games, rounds, noise, np.random.default_rng(children[-1]))
    return pay.mean(axis=0), cut.mean(axis=0)


def two_firm_game(game, pair=(0, 1), others: str = "spend"):
    """The two-player game two firms of an N-player Spend/Cut game play while the others' moves are fixed.

    A round-robin match is two players facing each other; for an N-firm game
    this is the exact slice of its payoffs in which ``pair`` choose and every
    other firm plays ``others`` (Spend or Cut) every year. The payoffs are the
    N-firm game's own, so whatever changes that game (a scenario's sliders)
    changes this one.

    Parameters
    ----------
    game : Game
        A Spend/Cut game of N >= 2 players, two actions each (the roles are
        read from the names, else from the payoffs).
    pair : tuple of int, default ``(0, 1)``
        The two players who choose (player indices, distinct).
    others : {"spend", "cut"}, default ``"spend"``
        What every other player does.

    Returns
    -------
    Game
        Two players (the pair's names and action names, in the game's order).

    Raises
    ------
    ParameterError
        A bad ``pair`` or ``others``, or a game whose players do not all have
        two actions.
    RolesError
        If it cannot be told which action is Spend.

    Examples
    --------
    Three identical firms; a firm's payoff is 2 if it spends, plus 1 for each
    other firm that cuts. A spends, B cuts: with C spending, A earns 2 + 1 = 3
    and B 0; with C cutting, A earns 2 + 1 + 1 = 4 and B 0 + 1 = 1:

    >>> import numpy as np
    >>> from dilemma.game import Game
    >>> pay = np.zeros((2, 2, 2, 3))
    >>> for prof in np.ndindex(2, 2, 2):
    ...     for i in range(3):
    ...         pay[prof + (i,)] = 2 * (prof[i] == 0) + sum(prof[j] for j in range(3) if j != i)
    >>> g = two_firm_game(Game(pay, players=["A", "B", "C"], actions=[("Spend", "Cut")] * 3))
    >>> g.players, g.payoff(("Spend", "Cut")).tolist()
    (('A', 'B'), [3.0, 0.0])
    >>> two_firm_game(Game(pay, actions=[("Spend", "Cut")] * 3), others="cut").payoff(("Spend", "Cut")).tolist()
    [4.0, 1.0]
    """
    from ..equilibria.roles import resolve_roles
    from ..game import Game

    n = game.n_players
    if any(len(a) != 2 for a in game.actions):
        raise ParameterError("game", "two actions (Spend and Cut) per player", [len(a) for a in game.actions])
    try:
        a, b = (int(x) for x in pair)
    except (TypeError, ValueError):
        raise ParameterError("pair", "two player indices", pair) from None
    if not (0 <= a < n and 0 <= b < n and a != b):
        raise ParameterError("pair", f"two different player indices between 0 and {n - 1}", pair)
    if str(others).lower() not in ("spend", "cut"):
        raise ParameterError("others", "'spend' or 'cut'", others)
    roles = resolve_roles(game)
    fixed = [roles.spend[k] if str(others).lower() == "spend" else 1 - roles.spend[k] for k in range(n)]
    index = tuple(slice(None) if k in (a, b) else fixed[k] for k in range(n))
    sub = np.asarray(game.payoffs)[index][..., [a, b]]
    if a > b:                                            # the pair's own order, not the game's
        sub = sub.transpose(1, 0, 2)
    # the slice keeps the N-firm game's roles: read off its own payoffs they can
    # differ (with the others volunteering, waiting can be best for both)
    spend = None if roles.source == "names" else [int(roles.spend[a]), int(roles.spend[b])]
    return Game(sub, players=[game.players[a], game.players[b]], actions=[game.actions[a], game.actions[b]],
                title=f"{game.players[a]} against {game.players[b]}, the others playing {others}",
                spend=spend)


def _is_symmetric(payoffs: np.ndarray) -> bool:
    return bool(np.allclose(payoffs[..., 0], payoffs[..., 1].T))


def round_robin(game_or_payoffs, strategies, rounds: int = 200, repetitions: int = 1, noise: float = 0.0,
                seed=None, self_play: bool = False) -> TournamentResult:
    """Round-robin tournament of strategies on a two-player Spend/Cut game.

    Parameters
    ----------
    game_or_payoffs : Game or ndarray, shape ``(2, 2, 2)``
        Two-player stage game; action 0 Spend, 1 Cut.
    strategies : sequence of str or Strategy
        At least two entrants (names may carry parameters, ``"random:p=0.2"``).
    rounds : int, default 200
        Rounds per match, >= 1.
    repetitions : int, default 1
        How often each pair meets, >= 1.
    noise : float, default 0
        Probability that an intended action flips, in [0, 1].
    seed : None, int or numpy.random.Generator
    self_play : bool, default False
        Whether each strategy also meets a copy of itself.

    Returns
    -------
    TournamentResult

    Raises
    ------
    ParameterError
        Not a two-player game, fewer than two strategies, an unknown or
        state-only strategy, rounds or repetitions < 1, noise outside [0, 1].
    """
    payoffs, _, _ = as_payoffs(game_or_payoffs)
    if payoffs.shape[-1] != 2:
        raise ParameterError("game", "a two-player game for a round-robin tournament",
                             f"{payoffs.shape[-1]} players")
    rounds = check_rounds(rounds)
    repetitions = check_rounds(repetitions, "repetitions")
    noise = check_noise(noise)
    if isinstance(strategies, str):
        strategies = [s for s in strategies.split(",") if s.strip()]
    specs = list(strategies)
    strats = resolve_strategies(specs)
    if len(strats) < 2 and not (self_play and len(strats) == 1):
        raise ParameterError("strategies", "at least two strategies (or one with self_play)", len(strats))
    check_stateless(strats)
    labels = strategy_labels(specs, strats)
    k = len(strats)
    ss = seed_sequence(seed)

    i, j = np.triu_indices(k, 0 if self_play else 1)
    base = np.stack([i, j], axis=1)
    if not _is_symmetric(payoffs):
        off = base[:, 0] != base[:, 1]
        base = np.concatenate([base, base[off][:, ::-1]])
    pairs = np.tile(base, (repetitions, 1))
    rep = np.repeat(np.arange(repetitions), len(base))
    # Without noise, a match of two deterministic strategies is the same in
    # every repetition: play it once and copy it (as Axelrod's deterministic cache).
    stochastic = np.array([s.stochastic for s in strats])
    varies = (noise > 0) | stochastic[pairs[:, 0]] | stochastic[pairs[:, 1]]
    play_now = varies | (rep == 0)
    mean_pay = np.empty((len(pairs), 2))
    coop = np.empty((len(pairs), 2))
    mean_pay[play_now], coop[play_now] = play_pairs(payoffs, strats, pairs[play_now], rounds, noise, ss)
    if not play_now.all():
        first = np.arange(len(pairs)) % len(base)
        mean_pay[~play_now] = mean_pay[first[~play_now]]
        coop[~play_now] = coop[first[~play_now]]

    # aggregate: (rep, row, col) sums of per-round means
    tot = np.zeros((repetitions, k, k))
    cnt = np.zeros((repetitions, k, k))
    ctot = np.zeros((k, k))
    for seat, other in ((0, 1), (1, 0)):
        a, b = pairs[:, seat], pairs[:, other]
        np.add.at(tot, (rep, a, b), mean_pay[:, seat])
        np.add.at(cnt, (rep, a, b), 1.0)
        np.add.at(ctot, (a, b), coop[:, seat])
    with np.errstate(invalid="ignore", divide="ignore"):
        per_rep = tot / cnt                                   # (rep, k, k); NaN where never met
        pairwise = tot.sum(axis=0) / cnt.sum(axis=0)
        cooperation = ctot / cnt.sum(axis=0)
        rep_scores = np.nanmean(per_rep, axis=2)
        score = np.nanmean(pairwise, axis=1)
    scores = {lab: float(score[x]) for x, lab in enumerate(labels)}
    order = sorted(range(k), key=lambda x: (-score[x], x))
    return TournamentResult(
        strategies=labels,
        scores=scores,
        ranking=[labels[x] for x in order],
        pairwise=pairwise,
        repetition_scores=rep_scores,
        cooperation=cooperation,
        rounds=rounds,
        repetitions=repetitions,
        noise=noise,
        self_play=bool(self_play),
        seed_entropy=ss.entropy if isinstance(ss.entropy, int) else None,
    )
