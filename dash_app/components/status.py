"""Freshness, quality and status pieces shared by the Overview and the Data quality view:
the load time per source, failing checks, dates in words and the green/amber/red badge."""
import pandas as pd
from dash import html

from dash_app.components.series import _missing
from dash_app.components.tables import TIME_COLUMNS
from dash_app.i18n import date as i18n_date
from dash_app.i18n import t

def format_date(value, lang: str) -> str:
    """A date in words: nb "3. des. 2026", en "3 Dec 2026"; "–" when there is none (i18n.date, Babel)."""
    return "–" if _missing(value) else i18n_date(value, lang)


def freshness(load_status: pd.DataFrame | None) -> dict[str, pd.Timestamp]:
    """Latest load time per source_id from publish.load_status (whatever its time column is called)."""
    if load_status is None or load_status.empty or "source_id" not in load_status:
        return {}
    col = next((c for c in TIME_COLUMNS if c in load_status.columns), None)
    if col is None:
        return {}
    times = pd.to_datetime(load_status[col], errors="coerce")
    return {k: v for k, v in times.groupby(load_status["source_id"]).max().items() if not _missing(v)}


def failing(quality: pd.DataFrame | None) -> pd.DataFrame:
    if quality is None or quality.empty:
        return pd.DataFrame()
    if "status" in quality:
        return quality[quality["status"].astype(str).isin(["fail", "error"])]
    return quality


STATUS_ORDER = {"red": 0, "amber": 1, "green": 2}


def status_badge(status: str, lang: str, title: str | None = None):
    """The traffic light as colour AND word (readable without colour): green/amber/red."""
    status = status if status in STATUS_ORDER else "amber"
    return html.Span(t(f"dq.status_{status}", lang), className=f"tv-light tv-light-{status}",
                     title=title or None)
