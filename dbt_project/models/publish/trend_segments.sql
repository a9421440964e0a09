-- The segments of each series' joinpoint fit (marts.mart_trend_segments), for drawing the fitted
-- trend and labelling each segment's APC; like publish.trend_stats, only for series none of whose
-- cells is hidden (a segment's slope is a function of its counts).
select
    segments.indicator_id, segments.geo_code, segments.substance_id, segments.sex, segments.age_group,
    segments.breakdown, segments.unit, segments.segment_no, segments.start_year, segments.end_year,
    segments.apc, segments.apc_low, segments.apc_high
from {{ ref('mart_trend_segments') }} as segments
where {{ series_fully_shown('segments') }}
