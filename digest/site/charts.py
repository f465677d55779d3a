"""Small charts drawn at build time, as plain data the theme turns into HTML and inline SVG
(theme/partials/digest/charts.html): they need no JavaScript and no other host.

- `shares()`: coverage by language, source or country, one row each. The labels stay HTML
  text (readable at any width, with their `lang`); only each row's bar is an SVG.
- `per_period()`: how many articles a month (a year, over a long span): one SVG of columns
  that scales to the page's width, with its numbers in words for screen readers.
Hand-written rather than a charting library: two chart kinds of a few rectangles each, and a
library (matplotlib, pygal) would add megabytes to draw them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

MAX_ROWS = 8        # coverage rows shown; the rest are summed in one "others" row
MAX_MONTHS = 48     # longer spans are counted by year


def shares(values, label=lambda value: value, language=lambda value: None) -> list[dict]:
    """Rows of a coverage chart, most first: label, count, percent of the largest (the bar's
    length), and the label's language. `values` holds one value per article."""
    counted = sorted(Counter(values).items(), key=lambda item: (-item[1], str(item[0])))
    rows = [(label(value), count, language(value)) for value, count in counted[:MAX_ROWS]]
    if len(counted) > MAX_ROWS:
        rest = counted[MAX_ROWS:]
        rows.append((f"{len(rest)} others", sum(count for _, count in rest), None))
    top = max((count for _, count, _ in rows), default=1)
    return [{"label": text, "count": count, "percent": round(100 * count / top, 1), "lang": lang}
            for text, count, lang in rows]


def articles_per_period(articles) -> dict | None:
    """per_period() of the articles' publication dates."""
    return per_period([article.published for article in articles])


def per_period(dates: list[dt.datetime]) -> dict | None:
    """Columns of articles per month from the first date to the last (per year when that spans
    more than MAX_MONTHS months); None for fewer than two periods, where a chart says nothing."""
    if not dates:
        return None
    first, last = min(dates), max(dates)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_MONTHS:
        keys = [str(year) for year in range(first.year, last.year + 1)]
        counts = Counter(str(d.year) for d in dates)
        labels = keys
        unit = "year"
    else:
        keys, labels = [], []
        year, month = first.year, first.month
        for _ in range(months):
            keys.append(f"{year:04d}-{month:02d}")
            labels.append(dt.date(year, month, 1).strftime("%b %Y"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        counts = Counter(d.strftime("%Y-%m") for d in dates)
        unit = "month"
    if len(keys) < 2:
        return None
    top = max(counts.values())
    columns = []
    for i, (key, label) in enumerate(zip(keys, labels)):
        height = round(40 * counts[key] / top, 2)
        # y rounded too: 41 - 38.34 in the template printed 2.6599999999999966.
        columns.append({"x": i * 10 + 1, "y": round(41 - height, 2), "height": height, "label": label,
                        "count": counts[key]})
    described = ", ".join(f"{c['label']}: {c['count']}" for c in columns if c["count"])
    return {"columns": columns, "width": len(keys) * 10, "unit": unit, "first": labels[0], "last": labels[-1],
            "most": top, "description": f"Articles per {unit}, {labels[0]} to {labels[-1]}: {described}."}
