"""Bar charts drawn on the server as SVG: nothing is fetched by the browser."""

from typing import List, Sequence, Tuple

from markupsafe import Markup, escape

BAR = 22          # height of one bar
GAP = 8
LABEL_WIDTH = 250
WIDTH = 640
COLOURS = ("#1f5f8b", "#8a4f00")  # both reach 4.5:1 against white (WCAG AA)


def bars(title_id: str, rows: Sequence[Tuple[str, Sequence[float]]],
         series: Sequence[str] = ("",)) -> Markup:
    """Horizontal bars, one group per row and one bar per series, labelled with values.

    The chart is an image named by the heading ``title_id``; the same numbers are
    in the table under it, which screen readers read instead.
    """
    if not rows:
        return Markup("")
    top = max((max(values) for _, values in rows), default=0) or 1
    group = BAR * len(series) + GAP
    height = group * len(rows) + (24 if len(series) > 1 else 0)
    scale = (WIDTH - LABEL_WIDTH - 60) / top
    parts: List[str] = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(title_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, values) in enumerate(rows):
        y = i * group
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * len(series) / 2 + 5}" '
                     f'text-anchor="end" class="chart-label">{escape(_short(label))}</text>')
        for j, value in enumerate(values):
            width = max(value * scale, 1 if value else 0)
            bar_y = y + j * BAR
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{bar_y + 2}" width="{width:.1f}" '
                         f'height="{BAR - 4}" fill="{COLOURS[j % len(COLOURS)]}"/>')
            parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{bar_y + BAR - 7}" '
                         f'class="chart-value">{escape(_number(value))}</text>')
    if len(series) > 1:
        x = LABEL_WIDTH
        for j, name in enumerate(series):
            parts.append(f'<rect x="{x}" y="{height - 16}" width="12" height="12" '
                         f'fill="{COLOURS[j % len(COLOURS)]}"/>')
            parts.append(f'<text x="{x + 18}" y="{height - 6}" class="chart-label">'
                         f'{escape(name)}</text>')
            x += 30 + 8 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
