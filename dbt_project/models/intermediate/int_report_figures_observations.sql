-- Report figures in the harmonised long form: one row per figure of every load (each load is a
-- vintage; fct_observations marks the latest).
-- Harmonises: place names -> geo_code, substance labels -> taxonomy, dates -> period_type,
-- printed bounds -> value / value_low / value_high (macros/harmonise_bounds.sql).
with

figures as (
    select * from {{ ref('stg_report_figures__figures') }}
),

substance_map as (
    select source_label, substance_id
    from {{ ref('substance_labels') }}
    where source_id = 'report_figures'
),

geo_map as (
    select source_label, geo_code
    from {{ ref('geography_labels') }}
    where source_id = 'report_figures'
),

harmonised as (
    select
        figures.indicator_id,
        geo_map.geo_code,
        {{ classify_period('figures.period_start', 'figures.period_end') }} as period_type,
        figures.period_start,
        figures.period_end,
        substance_map.substance_id,
        'all' as sex,
        -- the youth survey figures are for an age band ("age 15-16"); everything else is all ages
        case
            when figures.breakdown like 'age %' then trim(replace(figures.breakdown, 'age ', ''))
            else 'all'
        end as age_group,
        -- the file's breakdown column as printed ('distributor=MO-sentrene'); part of the grain
        coalesce(figures.breakdown, 'all') as breakdown,
        {{ harmonise_bounds('figures.qualifier', 'figures.value', 'figures.value_low', 'figures.value_high') }},
        figures.qualifier,
        -- a figure printed with its total ("245 of 1711") is a numerator over a denominator
        case when figures.denominator is not null then figures.value end as numerator,
        figures.denominator,
        -- units as transcribed, made identifier-like ("deaths per year" -> deaths_per_year)
        replace(figures.unit_label, ' ', '_') as unit,
        false as is_provisional,
        figures.loaded_at as vintage,
        figures.breakdown as detail,
        'report_figures' as source_id,
        figures.load_id,
        figures.source_file,
        figures.source_row,
        cast(null as integer) as source_column
    from figures
    -- left joins: an unmapped label surfaces as a null code and fails the not_null tests
    left join substance_map
        on coalesce(figures.substance_label, '(blank)') = substance_map.source_label
    left join geo_map
        on figures.geography_label = geo_map.source_label
)

select * from harmonised
