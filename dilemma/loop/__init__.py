"""The capital loop: committed flows among the AI build-out's players, and what a failure does.

* :mod:`.network` -- the loop as data (nodes, flows), loaded and validated from
  ``dilemma/presets/loops/*.toml``;
* :mod:`.cascade` -- a node stops paying, the loss travels round by round to a
  fixed point;
* :mod:`.aftermath` -- the hyperscalers' Spend/Cut game after the shock, from
  what the cascade left;
* :mod:`.layout` -- fixed node positions for drawing the network.

The functions are re-exported under names that differ from their modules
(``run_cascade`` is :func:`dilemma.loop.cascade.cascade`, ``node_positions``
is :func:`dilemma.loop.layout.layout`), so ``import dilemma.loop.cascade``
always gives the module. See ``docs/explanation/loop.md``.
"""

from __future__ import annotations

from .._lazy import lazy_exports

_EXPORTS = {
    "Loop": "dilemma.loop.network",
    "Node": "dilemma.loop.network",
    "Flow": "dilemma.loop.network",
    "load_loop": "dilemma.loop.network",
    "loads_loop": "dilemma.loop.network",
    "loop_from_dict": "dilemma.loop.network",
    "list_loops": "dilemma.loop.network",
    "run_cascade": "dilemma.loop.cascade",
    "CascadeResult": "dilemma.loop.cascade",
    "shocked_scenario": "dilemma.loop.aftermath",
    "compare_games": "dilemma.loop.aftermath",
    "node_positions": "dilemma.loop.layout",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
