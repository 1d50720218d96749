"""Bar charts as inline SVG, drawn on the server: no script, no external library, prints as it shows."""
from markupsafe import Markup, escape

COLOURS = ("#2f6fb0", "#e08a2c", "#4a9a5b", "#b54848")


def bar_chart(title: str, rows: list[tuple[str, list[float]]], series: list[str], unit: str = "",
              label_width: int = 190, width: int = 620) -> Markup:
    """Horizontal grouped bars: one group per row (its label, then one value per series)."""
    bar, gap, top = 14, 10, 34
    group = bar * len(series) + gap
    height = top + max(len(rows), 1) * group + 8
    plot = width - label_width - 60
    largest = max([v for _, values in rows for v in values] + [0])
    scale = plot / largest if largest else 0
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    x = label_width
    for i, name in enumerate(series):  # the legend
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
                     f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>')
        x += 24 + 13 * len(name)
    for r, (label, values) in enumerate(rows):
        y = top + r * group
        parts.append(f'<text x="{label_width - 8}" y="{y + bar * len(series) / 2 + 4}" font-size="12" '
                     f'text-anchor="end">{escape(_shorten(label))}</text>')
        for i, value in enumerate(values):
            w = max(value * scale, 1 if value else 0)
            by = y + i * bar
            parts.append(f'<rect class="bar" x="{label_width}" y="{by}" width="{w:.1f}" height="{bar - 2}" '
                         f'fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)} {escape(series[i])}：'
                         f'{_number(value)}{escape(unit)}</title></rect>'
                         f'<text x="{label_width + w + 4:.1f}" y="{by + bar - 4}" font-size="11">'
                         f'{_number(value)}{escape(unit)}</text>')
    if not rows:
        parts.append(f'<text x="{label_width}" y="{top + 12}" font-size="12">暂无数据</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shorten(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
