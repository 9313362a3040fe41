"""Fixed positions for drawing a loop: layered by kind of player, or on a circle.

The layered layout reads as the money's path from left to right: investors,
then the AI labs they fund, the clouds the labs buy from, the chip suppliers
the clouds buy from, the SPVs that lease sites and chips, and the lenders
behind the SPVs. Within a column nodes are spread evenly from top to bottom in
the order of the file, every other one a little to the right (so a flow
between two players of one column does not run through a third). Positions are in the unit square (``y`` up), so a chart
can draw them on fixed scales and the picture does not move between rounds.

Examples
--------
>>> from dilemma.loop import load_loop
>>> pos = layout(load_loop("openai-2025"))
>>> pos["SoftBank"][0] < pos["OpenAI"][0] < pos["Oracle"][0] < pos["NVIDIA"][0]
True
>>> c = layout(load_loop("openai-2025"), kind="circle")
>>> all(abs((x - 0.5) ** 2 + (y - 0.5) ** 2 - 0.45 ** 2) < 1e-9 for x, y in c.values())
True
"""

from __future__ import annotations

import math

from ..errors import ParameterError

__all__ = ["layout", "node_positions", "COLUMNS"]

#: Column of each kind of player in the layered layout, left to right.
COLUMNS = {"investor": 0, "lab": 1, "hyperscaler": 2, "supplier": 3, "spv": 4, "lender": 5}


def layout(loop, kind: str = "layered") -> dict[str, tuple[float, float]]:
    """Node name -> ``(x, y)`` in the unit square.

    Parameters
    ----------
    loop : Loop
    kind : {"layered", "circle"}

    Raises
    ------
    ParameterError
        For another ``kind``.
    """
    if kind == "circle":
        n = len(loop.nodes)
        return {node.name: (0.5 + 0.45 * math.cos(math.pi / 2 - 2 * math.pi * k / n),
                            0.5 + 0.45 * math.sin(math.pi / 2 - 2 * math.pi * k / n))
                for k, node in enumerate(loop.nodes)}
    if kind != "layered":
        raise ParameterError("kind", "'layered' or 'circle'", kind)
    cols: dict[int, list[str]] = {}
    for node in loop.nodes:
        cols.setdefault(COLUMNS[node.kind], []).append(node.name)
    used = sorted(cols)
    pos = {}
    for c_idx, col in enumerate(used):
        names = cols[col]
        x = 0.05 + 0.9 * c_idx / max(len(used) - 1, 1)
        for r, name in enumerate(names):
            # odd columns sit a little lower: no flow runs straight through a node of the next column,
            # and the names along the top and bottom rows do not collide
            top, bottom = 0.95 - 0.07 * (c_idx % 2), 0.05 + 0.07 * (c_idx % 2)
            y = 0.5 if len(names) == 1 else top - (top - bottom) * r / (len(names) - 1)
            pos[name] = (x + (0.02 if r % 2 else 0.0), y)  # staggered: same-column flows miss the nodes
    return pos


#: The package-level name of :func:`layout`.
node_positions = layout
