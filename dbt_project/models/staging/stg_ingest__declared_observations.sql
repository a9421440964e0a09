-- Rows that ingest already mapped onto the harmonised observation from a source spec's
-- `observations:` block (cdc_vsrr, eurostat_cod, scotland_nrs, owid_brfss, and any source added
-- later by spec alone). Every load kept; rename/cast only. Nothing here names a source.
with

source as (
    select * from {{ source('raw', 'declared_observations') }}
),

renamed as (
    select
        cast(source_id as varchar) as source_id,
        cast(indicator_id as varchar) as indicator_id,
        cast(geo_code as varchar) as geo_code,
        cast(substance_id as varchar) as substance_id,
        cast(sex as varchar) as sex,
        cast(age_group as varchar) as age_group,
        cast(breakdown as varchar) as breakdown,
        cast(period_type as varchar) as period_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(value as double) as value,
        cast(value_low as double) as value_low,
        cast(value_high as double) as value_high,
        cast(qualifier as varchar) as qualifier,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(unit as varchar) as unit,
        cast(is_provisional as boolean) as is_provisional,
        cast(detail as varchar) as detail,
        cast(source_row as integer) as source_row,
        cast(source_column as integer) as source_column,
        load_id,
        source_file
    from source
),

{{ attach_load_info('renamed') }}
