r"""Stateless repeated play of any Spend/Cut game.

The same stage game is played for ``rounds`` rounds by one strategy per
player. ``runs`` independent runs are played *at once*: every strategy
decides for all runs in one vectorised call per round.

Noise (as Axelrod's ``noise``): each intended action flips with probability
``noise``, independently per player, round and run; strategies see the
played (flipped) actions, and ``flipped`` records which ones were mistakes.

Discounting: the payoff of round ``t`` (counting from 0) is weighted by
``discount**t``; ``totals`` are undiscounted sums, ``discounted_totals``
the weighted sums.

Randomness: ``SeedSequence(seed).spawn(N + 1)`` gives each player's strategy
and the noise their own generator, so a seed reproduces every run exactly.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)  # Spend=0, Cut=1
>>> r = play(pd, ["tit-for-tat", "alternator"], rounds=4)
>>> r.action_names()[0]
[['Cut', 'Cut'], ['Cut', 'Spend'], ['Spend', 'Cut'], ['Cut', 'Spend']]
>>> r.totals[0].tolist()
[8.0, 13.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._batch import (Block, as_payoffs, check_discount, check_noise, check_rounds, make_blocks, run_blocks,
                     seed_sequence)

__all__ = ["play", "PlayResult", "PERCENTILES"]

#: Percentiles reported by summaries of many runs.
PERCENTILES = (5, 25, 50, 75, 95)


@dataclass
class PlayResult:
    """The outcome of :func:`play`.

    Attributes
    ----------
    players : list of str
    strategies : list of str
        Strategy names, one per player.
    actions : ndarray of int8, shape ``(runs, rounds, N)``
        Played action indices (0 Spend, 1 Cut).
    payoffs : ndarray of float, shape ``(runs, rounds, N)``
        Stage payoffs ($B for model games).
    flipped : ndarray of bool, shape ``(runs, rounds, N)``
        True where noise flipped the intended action: the played action in
        ``actions`` is a mistake (the player meant the other one). All False
        without noise.
    discount, noise : float
    seed_entropy : int
        Entropy of the root :class:`numpy.random.SeedSequence`; pass it back
        as ``seed`` to reproduce a run made with ``seed=None``.
    """

    players: list
    strategies: list
    actions: np.ndarray
    payoffs: np.ndarray
    discount: float = 1.0
    noise: float = 0.0
    seed_entropy: int | None = None
    action_labels: list = field(default_factory=list)
    flipped: np.ndarray | None = None

    def __post_init__(self):
        if self.flipped is None:
            self.flipped = np.zeros(self.actions.shape, dtype=bool)

    @property
    def runs(self) -> int:
        return self.actions.shape[0]

    @property
    def rounds(self) -> int:
        return self.actions.shape[1]

    @property
    def weights(self) -> np.ndarray:
        """Discount weights ``discount**t`` per round, shape ``(rounds,)``."""
        return self.discount ** np.arange(self.rounds)

    @property
    def totals(self) -> np.ndarray:
        """Undiscounted sum of payoffs, shape ``(runs, N)``."""
        return self.payoffs.sum(axis=1)

    @property
    def discounted_totals(self) -> np.ndarray:
        """Discounted sum of payoffs, shape ``(runs, N)``."""
        return np.einsum("rtn,t->rn", self.payoffs, self.weights)

    @property
    def mean_payoffs(self) -> np.ndarray:
        """Average payoff per round, shape ``(runs, N)``."""
        return self.payoffs.mean(axis=1)

    @property
    def share_spending(self) -> np.ndarray:
        """Share of runs in which each player spends, shape ``(rounds, N)``."""
        return (self.actions == 0).mean(axis=0)

    def action_names(self) -> list:
        """Actions as names: ``[run][round][player]``."""
        labels = self.action_labels or [("Spend", "Cut")] * len(self.players)
        lab = np.array(labels, dtype=object)                   # (N, 2)
        idx = np.arange(len(self.players))
        return lab[idx, self.actions].tolist()

    @property
    def frame(self):
        """Tidy :class:`pandas.DataFrame`: one row per run, round and player.

        Columns ``run, round, player, strategy, action, cut, flipped,
        payoff, discounted_payoff, cumulative_payoff``.
        """
        import pandas as pd

        runs, rounds, n = self.actions.shape
        r, t, p = np.meshgrid(np.arange(runs), np.arange(rounds), np.arange(n), indexing="ij")
        labels = self.action_labels or [("Spend", "Cut")] * n
        action = np.array(labels, dtype=object)[p.ravel(), self.actions.ravel()]
        return pd.DataFrame({
            "run": r.ravel(),
            "round": t.ravel(),
            "player": pd.Categorical(np.array(self.players, dtype=object)[p.ravel()], categories=self.players),
            "strategy": np.array(self.strategies, dtype=object)[p.ravel()],
            "action": action,
            "cut": self.actions.ravel() == 1,
            "flipped": self.flipped.ravel(),
            "payoff": self.payoffs.ravel(),
            "discounted_payoff": (self.payoffs * self.weights[None, :, None]).ravel(),
            "cumulative_payoff": np.cumsum(self.payoffs, axis=1).ravel(),
        })

    def summary(self, percentiles=PERCENTILES) -> dict:
        """Per player and round, over runs: mean and percentiles of the payoff, share spending.

        Returns a dict of arrays of shape ``(rounds, N)``: ``mean``, ``p5`` ...
        ``p95``, ``share_spending`` (plain numpy, no pandas).
        """
        out = {"mean": self.payoffs.mean(axis=0)}
        q = np.percentile(self.payoffs, percentiles, axis=0)
        for k, pc in enumerate(percentiles):
            out[f"p{pc:g}"] = q[k]
        out["share_spending"] = self.share_spending
        return out

    def summary_frame(self, percentiles=PERCENTILES):
        """:meth:`summary` as a tidy DataFrame (one row per round and player)."""
        import pandas as pd

        s = self.summary(percentiles)
        t, p = np.meshgrid(np.arange(self.rounds), np.arange(len(self.players)), indexing="ij")
        data = {"round": t.ravel(), "player": np.array(self.players, dtype=object)[p.ravel()]}
        data.update({k: v.ravel() for k, v in s.items()})
        return pd.DataFrame(data)

    def to_dict(self) -> dict:
        """JSON-ready dict: single run -> the play; several -> per-round summary."""
        base = {"players": list(self.players), "strategies": list(self.strategies), "rounds": self.rounds,
                "runs": self.runs, "noise": self.noise, "discount": self.discount,
                "seed_entropy": self.seed_entropy}
        if self.runs == 1:
            base.update({
                "actions": self.action_names()[0],
                "payoffs": self.payoffs[0].tolist(),
                "totals": self.totals[0].tolist(),
                "discounted_totals": self.discounted_totals[0].tolist(),
                "mean_payoffs": self.mean_payoffs[0].tolist(),
            })
        else:
            s = self.summary()
            base["summary"] = [
                {"round": t, "player": pl, **{k: float(v[t, i]) for k, v in s.items()}}
                for t in range(self.rounds) for i, pl in enumerate(self.players)
            ]
            base["totals_mean"] = self.totals.mean(axis=0).tolist()
            base["mean_payoff"] = self.mean_payoffs.mean(axis=0).tolist()
        return base


def play(game_or_payoffs, strategies, rounds: int, noise: float = 0.0, discount: float = 1.0,
         seed=None, runs: int = 1) -> PlayResult:
    """Play a Spend/Cut game repeatedly, ``runs`` independent runs at once.

    Parameters
    ----------
    game_or_payoffs : Game or ndarray, shape ``(2,)*N + (N,)``
        The stage game; action 0 is Spend, 1 is Cut.
    strategies : sequence of str or Strategy
        One per player, in player order (names from
        :func:`~dilemma.repeated.strategies.list_strategies`, optionally with
        parameters, ``"random:p=0.2"``).
    rounds : int
        Number of rounds (years), >= 1.
    noise : float, default 0
        Probability that an intended action flips, in [0, 1].
    discount : float, default 1
        Weight ``discount**t`` of round ``t``, in (0, 1].
    seed : None, int or numpy.random.Generator
        Root of all randomness.
    runs : int, default 1
        Independent runs played in one batch.

    Returns
    -------
    PlayResult

    Raises
    ------
    ParameterError
        Rounds < 1, noise outside [0, 1], discount outside (0, 1], runs < 1,
        a strategy count other than the number of players, an unknown
        strategy (the message lists the valid ones), or a state-only strategy.
    """
    payoffs, players, actions = as_payoffs(game_or_payoffs)
    n = payoffs.shape[-1]
    rounds = check_rounds(rounds)
    runs = check_rounds(runs, "runs")
    noise = check_noise(noise)
    discount = check_discount(discount)
    if isinstance(strategies, str):
        strategies = [s for s in strategies.split(",") if s.strip()]
    strats = make_blocks(strategies, n)
    ss = seed_sequence(seed)
    children = ss.spawn(n + 1)
    games = np.arange(runs)
    blocks = [Block(s, games, i, n, np.random.default_rng(children[i])) for i, s in enumerate(strats)]
    cut, pay, flipped = run_blocks(payoffs, blocks, runs, rounds, noise, np.random.default_rng(children[n]),
                                   with_flipped=True)
    return PlayResult(
        players=players,
        strategies=[s.name for s in strats],
        actions=np.ascontiguousarray(cut.transpose(1, 0, 2)).view(np.int8),
        payoffs=np.ascontiguousarray(pay.transpose(1, 0, 2)),
        discount=discount,
        noise=noise,
        seed_entropy=ss.entropy if isinstance(ss.entropy, int) else None,
        action_labels=actions,
        flipped=np.ascontiguousarray(flipped.transpose(1, 0, 2)),
    )
