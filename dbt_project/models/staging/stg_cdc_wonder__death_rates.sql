-- CDC WONDER death rates by drug class (OWID copy, melted to long at ingest), every load kept.
with

source as (
    select * from {{ source('raw', 'cdc_wonder__death_rates') }}
),

renamed as (
    select
        trim(entity) as entity_label,
        cast("year" as integer) as year,
        -- header kept exactly as published: it is the key of seeds/cdc_series.csv
        series as series_label,
        cast(value as double) as value,
        cast(source_column as integer) as source_column,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
