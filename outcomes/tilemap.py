"""A tile map of the 50 states, DC and the five inhabited territories: one square per
place, laid out roughly where it lies, drawn as SVG on the server
(templates/outcomes/partials/tile_map.html). Each tile writes its count, so the shade is
never the only cue, and the page shows the same numbers in a table."""

from __future__ import annotations

from dataclasses import dataclass

from cohorts.geography import StateOrTerritory

# (column, row) of each tile. The territories sit on a row of their own below the states:
# the Pacific ones on the left, the Caribbean ones on the right.
TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0),
    "ME": (10, 0),
    "WI": (5, 1),
    "VT": (9, 1),
    "NH": (10, 1),
    "WA": (0, 2),
    "ID": (1, 2),
    "MT": (2, 2),
    "ND": (3, 2),
    "MN": (4, 2),
    "IL": (5, 2),
    "MI": (6, 2),
    "NY": (8, 2),
    "MA": (9, 2),
    "OR": (0, 3),
    "NV": (1, 3),
    "WY": (2, 3),
    "SD": (3, 3),
    "IA": (4, 3),
    "IN": (5, 3),
    "OH": (6, 3),
    "PA": (7, 3),
    "NJ": (8, 3),
    "CT": (9, 3),
    "RI": (10, 3),
    "CA": (0, 4),
    "UT": (1, 4),
    "CO": (2, 4),
    "NE": (3, 4),
    "MO": (4, 4),
    "KY": (5, 4),
    "WV": (6, 4),
    "VA": (7, 4),
    "MD": (8, 4),
    "DE": (9, 4),
    "AZ": (1, 5),
    "NM": (2, 5),
    "KS": (3, 5),
    "AR": (4, 5),
    "TN": (5, 5),
    "NC": (6, 5),
    "SC": (7, 5),
    "DC": (8, 5),
    "OK": (3, 6),
    "LA": (4, 6),
    "MS": (5, 6),
    "AL": (6, 6),
    "GA": (7, 6),
    "HI": (0, 7),
    "TX": (3, 7),
    "FL": (8, 7),
    "GU": (0, 9),
    "MP": (1, 9),
    "AS": (2, 9),
    "PR": (8, 9),
    "VI": (9, 9),
}

TILE = 46  # side of a tile
GAP = 4
MARGIN = 4
TERRITORY_ROW = 9

# Shades from none to many, each with a text colour that keeps 4.5:1 contrast on it.
SHADES = [
    ("#f1f3f5", "#212529"),  # none
    ("#cfe3ea", "#212529"),
    ("#8fbfcf", "#212529"),
    ("#3a7589", "#ffffff"),
    ("#1f4e5f", "#ffffff"),
]


@dataclass
class Tile:
    code: str
    name: str
    count: int
    x: int
    y: int
    fill: str
    ink: str

    @property
    def label(self) -> str:
        return f"{self.name}: {self.count} result{'' if self.count == 1 else 's'}"


@dataclass
class LegendStep:
    text: str
    fill: str


@dataclass
class TileMap:
    id: str
    title: str
    tiles: list[Tile]
    legend: list[LegendStep]
    width: int
    height: int
    size: int = TILE
    territory_label_y: int = 0

    @property
    def places_with_results(self) -> int:
        return sum(1 for tile in self.tiles if tile.count)


def _bounds(top: int) -> list[int]:
    """Upper bounds of the shades after "none": four even steps up to the largest count."""
    if top <= 0:
        return [0, 0, 0, 0]
    steps = [max(1, round(top * k / 4)) for k in (1, 2, 3, 4)]
    for i in range(1, 4):
        steps[i] = max(steps[i], steps[i - 1])
    return steps


def _shade(count: int, bounds: list[int]) -> int:
    if count <= 0:
        return 0
    for i, bound in enumerate(bounds):
        if count <= bound:
            return i + 1
    return len(bounds)


def _legend(bounds: list[int]) -> list[LegendStep]:
    steps = [LegendStep("None", SHADES[0][0])]
    low = 1
    for i, bound in enumerate(bounds):
        if bound < low:
            continue
        text = str(low) if bound == low else f"{low}–{bound}"
        steps.append(LegendStep(text, SHADES[i + 1][0]))
        low = bound + 1
    return steps


def tile_map(counts: dict[str, int], *, id: str = "place-map", title: str = "") -> TileMap:
    """The map of `counts` (state or territory code → number of results)."""
    names = dict(StateOrTerritory.choices)
    bounds = _bounds(max(counts.values(), default=0))
    tiles = []
    for code, (column, row) in TILES.items():
        count = counts.get(code, 0)
        fill, ink = SHADES[_shade(count, bounds)]
        tiles.append(
            Tile(
                code=code,
                name=names[code],
                count=count,
                x=MARGIN + column * (TILE + GAP),
                y=MARGIN + row * (TILE + GAP),
                fill=fill,
                ink=ink,
            )
        )
    columns = max(c for c, _r in TILES.values()) + 1
    rows = max(r for _c, r in TILES.values()) + 1
    return TileMap(
        id=id,
        title=title,
        tiles=tiles,
        legend=_legend(bounds),
        width=2 * MARGIN + columns * (TILE + GAP) - GAP,
        height=2 * MARGIN + rows * (TILE + GAP) - GAP,
        territory_label_y=MARGIN + TERRITORY_ROW * (TILE + GAP) - 8,
    )
