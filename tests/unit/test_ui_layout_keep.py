"""A merged view keeps the positions of the view it grew from; new nodes are placed clear."""

from __future__ import annotations

from typing import Any

from viz_app.ui.layout_keep import CLEAR_X, CLEAR_Y, keep_positions


def node(arn: str, x: float, y: float) -> dict[str, Any]:
    return {"data": {"id": arn}, "position": {"x": x, "y": y}}


def edge(a: str, b: str) -> dict[str, Any]:
    return {"data": {"id": f"{a}>{b}", "source": a, "target": b}}


def test_kept_nodes_stay_and_new_ones_follow_their_kept_neighbour_clear_of_the_rest() -> None:
    before = [node("a", 0, 0), node("b", 200, 0)]
    after = [node("a", 500, 40), node("b", 700, 40), node("c", 500, 40 + 10), edge("c", "a")]
    out = {e["data"]["id"]: e["position"] for e in keep_positions(before, after) if "position" in e}
    assert out["a"] == {"x": 0, "y": 0} and out["b"] == {"x": 200, "y": 0}
    c = out["c"]
    assert c["x"] == 0  # moved as its neighbour a moved ...
    assert abs(c["y"]) >= CLEAR_Y or abs(c["x"]) >= CLEAR_X  # ... then clear of it


def test_a_view_with_nothing_in_common_keeps_its_own_layout() -> None:
    after = [node("x", 1, 2)]
    assert keep_positions([node("a", 0, 0)], after) == after
