-- Figures transcribed from the reports, every load kept; rename/cast only.
-- loaded_at / is_latest_load come from the load log so downstream can keep the current load.
with

source as (
    select * from {{ source('raw', 'report_figures__figures') }}
),

renamed as (
    select
        trim(figure_id) as figure_id,
        trim(family) as family,
        trim(indicator) as indicator_id,
        trim(geography) as geography_label,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        -- empty cell = not broken down by substance; kept null here, mapped in intermediate
        nullif(trim(substance), '') as substance_label,
        nullif(trim(breakdown), '') as breakdown,
        cast(value as double) as value,
        cast(value_low as double) as value_low,
        cast(value_high as double) as value_high,
        lower(trim(qualifier)) as qualifier,
        trim(unit) as unit_label,
        cast(denominator as double) as denominator,
        trim(source_document) as source_document,
        trim(source_section) as source_section,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
