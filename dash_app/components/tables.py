from datetime import datetime

import pandas as pd
from dash import html

from dash_app.components.series import _missing
from dash_app.i18n import column_label

TIME_COLUMNS = ("finished_at", "last_loaded_at", "last_load_at", "loaded_at", "last_seen", "started_at",
                "recorded_at", "vintage")


def cell(value) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", " ") if abs(value) >= 100 or value == int(value) else f"{value:.2f}"
    if isinstance(value, (pd.Timestamp, datetime)):
        return f"{value:%Y-%m-%d %H:%M}" if (value.hour or value.minute) else f"{value:%Y-%m-%d}"
    return str(value)


def table(frame: pd.DataFrame, columns: list[tuple[str, str]], component_id: str, max_rows: int = 500,
          row_class=None, lang: str | None = None):
    """A plain HTML table of `columns` [(column, header)] that exist in `frame`, in a scroll box.

    With `lang`, a column whose name has a `col.<name>` label in i18n gets that label as header.
    """
    cols = [(c, column_label(c, lang) if lang else h) for c, h in columns if c in frame.columns]
    body = [html.Tr([html.Td(cell(getattr(r, c) if c.isidentifier() else r[c])) for c, _ in cols],
                    className=row_class(r) if row_class else None)
            for r in frame.head(max_rows).itertuples(index=False)]
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(h) for _, h in cols])), html.Tbody(body)],
                               id=component_id, className="tv-table"), className="tv-table-wrap")
