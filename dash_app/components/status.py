import pandas as pd

from dash_app.components.series import _missing
from dash_app.components.tables import TIME_COLUMNS

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
