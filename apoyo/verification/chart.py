"""The dispersion chart of an aspirant's results page: an inline SVG laid out here, with no
JavaScript. Each bar is a unit's valid supports as a share of its minimum; the line marks 100 %.
Both axes carry a title: the share (vertical) and the dispersion unit (horizontal)."""

CHART_WIDTH = 720
CHART_PLOT_HEIGHT = 200
CHART_TOP = 12
CHART_LEFT = 64  # room for the tick labels and the vertical axis title
CHART_RIGHT = 8
CHART_LABEL_ROOM = 72
CHART_AXIS_TITLE_ROOM = 22
CHART_MAX_RATIO = 2  # bars are drawn up to twice the unit's requirement
# Past this many units the labels would overlap: the bars keep their names in a tooltip only.
CHART_MAX_LABELS = 40


def unit_ratio(unit):
    if not unit.required:
        return 1.0 if unit.met else 0.0
    return min(unit.valid / unit.required, CHART_MAX_RATIO)


def unit_label(unit):
    return unit.unit_name or f"Unidad {unit.unit_number}"


def chart_bar(index, unit, step):
    height = unit_ratio(unit) / CHART_MAX_RATIO * CHART_PLOT_HEIGHT
    width = max(step * 0.7, 1)
    x = CHART_LEFT + index * step + (step - width) / 2
    return {
        "x": round(x, 2),
        "y": round(CHART_TOP + CHART_PLOT_HEIGHT - height, 2),
        "width": round(width, 2),
        "height": round(height, 2),
        "label_x": round(x + width / 2, 2),
        "label": unit_label(unit),
        "unit": unit,
    }


def dispersion_chart(units):
    """Bars of valid supports as a share of each unit's requirement; the line marks 100 %."""
    if not units:
        return None
    step = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / len(units)
    labelled = len(units) <= CHART_MAX_LABELS
    bottom = CHART_TOP + CHART_PLOT_HEIGHT
    labels_bottom = bottom + (CHART_LABEL_ROOM if labelled else 16)
    return {
        "width": CHART_WIDTH,
        "height": labels_bottom + CHART_AXIS_TITLE_ROOM,
        "x_title_x": (CHART_LEFT + CHART_WIDTH - CHART_RIGHT) / 2,
        "x_title_y": labels_bottom + CHART_AXIS_TITLE_ROOM - 6,
        "y_title_y": CHART_TOP + CHART_PLOT_HEIGHT / 2,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "top": CHART_TOP,
        "bottom": bottom,
        "target_y": CHART_TOP + CHART_PLOT_HEIGHT / 2,
        "labelled": labelled,
        "bars": [chart_bar(i, unit, step) for i, unit in enumerate(units)],
        "met": sum(1 for unit in units if unit.met),
        "total": len(units),
    }
