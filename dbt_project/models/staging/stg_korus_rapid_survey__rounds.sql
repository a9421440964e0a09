-- Rapid municipal survey rows, every load kept; rename/cast only.
with

source as (
    select * from {{ source('raw', 'korus_rapid_survey__rounds') }}
),

renamed as (
    select
        trim(survey) as survey_id,
        trim("round") as survey_round,
        cast(survey_monday as date) as survey_monday,
        cast(reference_start as date) as reference_start,
        cast(reference_end as date) as reference_end,
        trim(region) as region_label,
        trim(question) as question_id,
        cast(yes_count as integer) as yes_count,
        cast(respondents as integer) as respondents,
        cast(reported_pct as double) as reported_pct,
        lower(trim(qualifier)) as qualifier,
        trim(source_document) as source_document,
        trim(source_section) as source_section,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
