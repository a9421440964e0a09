-- The harmonised fact: one row per published number per vintage (every load of every file is
-- kept). is_latest_vintage marks the numbers of the newest load of each file; the as-of query
-- in _fct_observations.yml reproduces what was published at any earlier time.
-- Types are cast explicitly because the contract (_fct_observations.yml) is enforced.
with

observations as (
    select * from {{ ref('int_observations_age_bands_checked') }}
)

select
    cast(observation_id as varchar) as observation_id,
    cast(observation_key as varchar) as observation_key,
    cast(indicator_id as varchar) as indicator_id,
    cast(geo_code as varchar) as geo_code,
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(substance_id as varchar) as substance_id,
    cast(sex as varchar) as sex,
    cast(age_group as varchar) as age_group,
    cast(breakdown as varchar) as breakdown,
    cast(value as double) as value,
    cast(value_low as double) as value_low,
    cast(value_high as double) as value_high,
    cast(qualifier as varchar) as qualifier,
    cast(numerator as double) as numerator,
    cast(denominator as double) as denominator,
    cast(unit as varchar) as unit,
    cast(is_provisional as boolean) as is_provisional,
    cast(vintage as timestamp) as vintage,
    cast(superseded_at as timestamp) as superseded_at,
    cast(is_latest_vintage as boolean) as is_latest_vintage,
    cast(detail as varchar) as detail,
    cast(source_id as varchar) as source_id,
    cast(load_id as varchar) as load_id,
    cast(source_file as varchar) as source_file,
    cast(source_row as integer) as source_row,
    cast(source_column as integer) as source_column
from observations
