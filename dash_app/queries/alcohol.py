"""Alcohol (publish.alcohol_sales)."""
from __future__ import annotations

import pandas as pd

from dash_app.queries.connection import _frame, cached, view_columns


@cached
def alcohol_geographies() -> pd.DataFrame:
    return _frame(
        """
        select geo_code, min(geo_name) as geo_name, min(year) as first_year, max(year) as last_year
        from publish.alcohol_sales
        group by geo_code
        order by geo_code
        """
    )


ALCOHOL_NEW_COLUMNS = ("pure_alcohol_litres", "litres_per_capita_15plus",
                       "pure_alcohol_per_capita_15plus", "assumed_abv")


@cached
def alcohol_sales(geo_code: str | None = None) -> pd.DataFrame:
    """Sales by beverage group and year (all places, or one). The columns planned in the contract
    (pure alcohol, per capita 15+) are read when the view has them and are null otherwise."""
    present = view_columns("alcohol_sales")
    # Column names come from the constant list above, checked against the catalogue: no user input.
    extra = ", ".join(c if c in present else f"cast(null as double) as {c}" for c in ALCOHOL_NEW_COLUMNS)
    return _frame(
        f"""
        select geo_code, geo_name, year, period_start, period_end, substance_id,
               beverage_name_nb, beverage_name_en, litres, share_of_total_pct,
               change_from_previous_pct, {extra}, qualifier, source_id, source_label, source_file, source_row
        from publish.alcohol_sales
        where $geo_code is null or geo_code = $geo_code
        order by geo_code, substance_id, year
        """,
        {"geo_code": geo_code},
    )
