-- Direction signals (Føre Var panel, survey free text), every load kept; rename/cast only.
with

source as (
    select * from {{ source('raw', 'trend_panel__signals') }}
),

renamed as (
    select
        trim(panel) as panel_id,
        trim(geography) as geography_label,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        trim(substance) as substance_label,
        lower(trim(measure)) as measure,
        cast(direction as integer) as direction,
        trim(wording_nb) as wording_nb,
        cast(region_respondents as integer) as region_respondents,
        -- the panel's own qualifier (long_term, covid_special, several, ...)
        lower(trim(qualifier)) as panel_qualifier,
        trim(source_document) as source_document,
        trim(source_section) as source_section,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
