"""A merged view (an answer or an expand added to it) keeps the layout it grew from: the nodes
already drawn stay where they were, the new ones are placed beside the drawn neighbour the
fresh layout put them next to, then moved down clear of every kept node."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

CLEAR_X: Final = 150.0  # a new node this close (both ways) to a kept one is moved down
CLEAR_Y: Final = 70.0


def _pos(element: Mapping[str, Any]) -> tuple[float, float]:
    p = element["position"]
    return float(p["x"]), float(p["y"])


def keep_positions(
    before: Sequence[Mapping[str, Any]], after: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`after` (a fresh layout of the merged view) with the nodes also in `before` at their old
    positions, and each new node shifted by the move of a kept neighbour (else of the nearest
    kept node), then down until it is clear of every kept node."""
    old = {str(e["data"]["id"]): _pos(e) for e in before if "position" in e}
    fresh = {str(e["data"]["id"]): _pos(e) for e in after if "position" in e}
    kept = {i: p for i, p in old.items() if i in fresh}
    if not kept:
        return list(after)
    links: dict[str, list[str]] = {}
    for e in after:
        if "source" in e["data"]:
            a, b = str(e["data"]["source"]), str(e["data"]["target"])
            links.setdefault(a, []).append(b)
            links.setdefault(b, []).append(a)

    def anchor(node: str) -> str:
        near = sorted(n for n in links.get(node, []) if n in kept)
        if near:
            return near[0]
        x, y = fresh[node]
        return min(kept, key=lambda k: (fresh[k][0] - x) ** 2 + (fresh[k][1] - y) ** 2)

    placed = dict(kept)
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def cell(x: float, y: float) -> tuple[int, int]:
        return int(x // CLEAR_X), int(y // CLEAR_Y)

    def taken(x: float, y: float) -> bool:
        cx, cy = cell(x, y)
        return any(
            abs(x - px) < CLEAR_X and abs(y - py) < CLEAR_Y
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for px, py in grid.get((cx + dx, cy + dy), ())
        )

    for p in placed.values():
        grid.setdefault(cell(*p), []).append(p)
    for node in sorted(set(fresh) - set(kept), key=lambda n: (fresh[n][0], fresh[n][1], n)):
        a = anchor(node)
        x = fresh[node][0] + kept[a][0] - fresh[a][0]
        y = fresh[node][1] + kept[a][1] - fresh[a][1]
        while taken(x, y):
            y += CLEAR_Y
        placed[node] = (x, y)
        grid.setdefault(cell(x, y), []).append((x, y))
    out = []
    for e in after:
        node = e["data"]["id"]
        if "position" in e and node in placed:
            x, y = placed[node]
            out.append({**e, "position": {"x": x, "y": y}})
        else:
            out.append(e)
    return out
