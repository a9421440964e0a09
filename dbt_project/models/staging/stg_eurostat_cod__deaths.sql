-- Eurostat causes of death (hlth_cd_aro), melted to one row per code combination and year at
-- ingest, every load kept; rename/cast only. Observations come from raw.declared_observations.
with

source as (
    select * from {{ source('raw', 'eurostat_cod__deaths') }}
),

renamed as (
    select
        trim(freq) as frequency,
        trim(unit) as unit_code,
        trim(sex) as sex_code,
        trim(age) as age_code,
        trim(icd10) as icd10_code,
        trim(resid) as residence_code,
        trim(geo) as geo_label,
        cast(trim("year") as integer) as year,
        cast(value as double) as value,
        nullif(trim(flag), '') as flag,
        nullif(trim(status), '') as cell_status,
        cast(source_column as integer) as source_column,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
