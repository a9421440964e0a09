-- CDC VSRR provisional overdose death counts (12 months ending each month), every load kept;
-- rename/cast only. The rows reach the observations through raw.declared_observations (the
-- spec maps them); this model is for inspection, tests and lineage.
with

source as (
    select * from {{ source('raw', 'cdc_vsrr__provisional_counts') }}
),

renamed as (
    select
        trim(state) as state_code,
        trim(state_name) as state_name,
        cast("year" as integer) as year,
        trim("month") as month_name,
        trim(indicator) as indicator_label,
        cast(data_value as double) as data_value,
        cast(predicted_value as double) as predicted_value,
        cast(percent_complete as double) as percent_complete,
        cast(percent_pending_investigation as double) as percent_pending_investigation,
        nullif(trim(footnote), '') as footnote,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
