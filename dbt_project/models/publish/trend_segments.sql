-- The segments of each series' joinpoint fit (marts.mart_trend_segments), for drawing the fitted
-- trend and labelling each segment's APC.
select
    indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit,
    segment_no, start_year, end_year, apc, apc_low, apc_high
from {{ ref('mart_trend_segments') }}
