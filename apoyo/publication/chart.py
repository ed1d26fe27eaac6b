"""The path chart of the public page: each aspirant's valid supports in each published compulsa,
one point per compulsa, and the supports required as a dashed line. An inline SVG laid out here
(like apoyo/verification/chart.py), readable without JavaScript and printable. Lines differ in
colour and in the shape of their points, so they are told apart without colour too.

Two layouts of the same chart: a wide one, and a narrow one for phones (the page shows one or the
other by the screen's width), so a phone reads letters of their normal size instead of a wide
drawing shrunk to half."""

import math
from dataclasses import dataclass

TOP = 16
LEFT = 76  # room for the tick labels and the vertical axis title
RIGHT = 16
PAD = 28  # the first and last points keep off the axes
LABEL_ROOM = 46  # the dates and run numbers under the horizontal axis
AXIS_TITLE_ROOM = 24
MAX_TICKS = 5
COLOURS = ["#0969da", "#bc4c00", "#1a7f37", "#8250df", "#bf3989", "#0a7b83", "#9a6700", "#57606a"]
SHAPES = ["circle", "square", "diamond", "triangle"]


@dataclass(frozen=True)
class Layout:
    name: str
    width: int
    plot_height: int
    max_dates: int  # past this many compulsas, every n-th date is written under the axis
    font_size: int


WIDE = Layout("wide", width=720, plot_height=220, max_dates=6, font_size=11)
# 340 units: the width a 390 px phone gives the chart (publication.css), so its letters are drawn
# at their own size, neither shrunk nor enlarged.
NARROW = Layout("narrow", width=340, plot_height=200, max_dates=3, font_size=13)


def nice_scale(value):
    """(top, step) of the vertical axis: a round step (1, 2, 2.5 or 5 times a power of ten, whole
    supports) and the fewest steps, at most MAX_TICKS, that reach `value`."""
    value = max(value, 1)
    magnitude = 10 ** max(0, math.floor(math.log10(value / MAX_TICKS)))
    for factor in (1, 2, 2.5, 5, 10, 20):
        step = max(1, math.ceil(factor * magnitude))
        if math.ceil(value / step) <= MAX_TICKS:
            return step * math.ceil(value / step), step
    raise AssertionError("unreachable: 20 × magnitude always fits")


def marker(shape, x, y, size=4.5):
    """An SVG path of the point's shape centred on (x, y)."""
    s = size
    if shape == "square":
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f} {y - s - 1:.1f}l{s + 1:.1f} {s + 1:.1f}l{-s - 1:.1f} {s + 1:.1f}l{-s - 1:.1f} {-s - 1:.1f}Z"
    if shape == "triangle":
        return f"M{x:.1f} {y - s - 1:.1f}l{s + 1:.1f} {2 * s:.1f}h{-2 * s - 2:.1f}Z"
    return f"M{x - s:.1f} {y:.1f}a{s} {s} 0 1 0 {2 * s:.1f} 0a{s} {s} 0 1 0 {-2 * s:.1f} 0Z"


class Scale:
    def __init__(self, layout, count, top):
        self.layout = layout
        self.count = count
        self.top = top

    def x(self, index):
        width = self.layout.width
        if self.count == 1:
            return (LEFT + width - RIGHT) / 2
        span = width - LEFT - RIGHT - 2 * PAD
        return LEFT + PAD + index * span / (self.count - 1)

    def y(self, value):
        height = self.layout.plot_height
        return TOP + height - value / self.top * height


def line_path(points):
    return "".join(
        f"{'M' if i == 0 else 'L'}{p['x']:.1f} {p['y']:.1f}" for i, p in enumerate(points)
    )


def aspirant_series(history, scale):
    """One line per aspirant, in the order of the newest published run (then any earlier one)."""
    order = {}
    for published in reversed(history):
        for figures in published.aspirants:
            order.setdefault(figures.code, figures.name)
    series = []
    for number, (code, name) in enumerate(order.items()):
        shape = SHAPES[number % len(SHAPES)]
        points = []
        for index, published in enumerate(history):
            figures = next((f for f in published.aspirants if f.code == code), None)
            if figures is None:
                continue
            x, y = scale.x(index), scale.y(figures.valid)
            points.append(
                {
                    "x": x,
                    "y": y,
                    "valid": figures.valid,
                    "day": published.day,
                    "marker": marker(shape, x, y),
                }
            )
        series.append(
            {
                "code": code,
                "name": name,
                "colour": COLOURS[number % len(COLOURS)],
                "legend_marker": marker(shape, 9, 9),
                "points": points,
                "path": line_path(points),
            }
        )
    return series


def required_line(history, scale):
    points = [
        {"x": scale.x(i), "y": scale.y(p.required), "required": p.required, "day": p.day}
        for i, p in enumerate(history)
        if p.required is not None
    ]
    return {"points": points, "path": line_path(points)}


def date_labels(history, scale):
    """The compulsa days under the axis; past the layout's max_dates, every n-th one counted
    back from the newest, which is always written."""
    every = math.ceil(len(history) / scale.layout.max_dates)
    last = len(history) - 1
    return [
        {"x": round(scale.x(i), 1), "day": p.day, "run": p.run.pk}
        for i, p in enumerate(history)
        if (last - i) % every == 0
    ]


def path_chart(history, layout=WIDE):
    """The chart's layout for the template, or None when nothing is published."""
    if not history:
        return None
    highest = max(
        [f.valid for p in history for f in p.aspirants] + [p.required or 0 for p in history]
    )
    top, step = nice_scale(highest)
    scale = Scale(layout, len(history), top)
    width = layout.width
    bottom = TOP + layout.plot_height
    return {
        "layout": layout.name,
        "font_size": layout.font_size,
        "width": width,
        "height": bottom + LABEL_ROOM + AXIS_TITLE_ROOM,
        "left": LEFT,
        "right": width - RIGHT,
        "top": TOP,
        "bottom": bottom,
        "ticks": [{"value": v, "y": round(scale.y(v), 1)} for v in range(0, top + 1, step)],
        "dates": date_labels(history, scale),
        "date_y": bottom + 18,
        "run_y": bottom + 36,
        # Centred on the whole drawing, not the plot: on the narrow layout the title is nearly as
        # wide as the drawing and would be cut at its right edge.
        "x_title_x": width / 2,
        "x_title_y": bottom + LABEL_ROOM + AXIS_TITLE_ROOM - 6,
        "y_title_y": TOP + layout.plot_height / 2,
        "series": aspirant_series(history, scale),
        "required": required_line(history, scale),
        "runs": len(history),
    }
