-- BRFSS drinking prevalence (OWID copy, melted to long at ingest), every load kept; rename/cast
-- only. Observations come from raw.declared_observations.
with

source as (
    select * from {{ source('raw', 'owid_brfss__drinking_prevalence') }}
),

renamed as (
    select
        trim(entity) as entity_label,
        cast("year" as integer) as year,
        series as series_label,
        cast(value as double) as value,
        cast(source_column as integer) as source_column,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
