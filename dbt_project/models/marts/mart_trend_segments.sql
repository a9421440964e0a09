-- The joinpoint segments of each series: mart_trend_stats carries at most three segments as
-- seg1_* .. seg3_* (a dbt Python model returns one table); this unpivots them into rows.
with

stats as (
    select * from {{ ref('mart_trend_stats') }}
),

segments as (
    {% for k in [1, 2, 3] %}
    select
        indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit,
        {{ k }} as segment_no,
        seg{{ k }}_start_year as start_year,
        seg{{ k }}_end_year as end_year,
        seg{{ k }}_apc as apc,
        seg{{ k }}_apc_low as apc_low,
        seg{{ k }}_apc_high as apc_high
    from stats
    where seg{{ k }}_start_year is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    cast(indicator_id as varchar) as indicator_id,
    cast(geo_code as varchar) as geo_code,
    cast(substance_id as varchar) as substance_id,
    cast(sex as varchar) as sex,
    cast(age_group as varchar) as age_group,
    cast(breakdown as varchar) as breakdown,
    cast(unit as varchar) as unit,
    cast(segment_no as integer) as segment_no,
    cast(start_year as integer) as start_year,
    cast(end_year as integer) as end_year,
    cast(apc as double) as apc,
    cast(apc_low as double) as apc_low,
    cast(apc_high as double) as apc_high
from segments
