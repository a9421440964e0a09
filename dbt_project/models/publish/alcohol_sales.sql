-- What the Dash alcohol view reads.
select
    geo_code, geo_name, year, period_start, period_end, substance_id,
    beverage_name_nb, beverage_name_en, litres, share_of_total_pct, change_from_previous_pct,
    qualifier, source_id, source_label, source_file, source_row
from {{ ref('mart_alcohol_sales') }}
