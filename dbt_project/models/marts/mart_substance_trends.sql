-- Substance trends for charts, heroin versus the stimulants, every source side by side: US
-- overdose death rates by drug class (CDC WONDER), US provisional 12-month overdose death counts by
-- drug class (CDC VSRR, reported, not predicted), drug-dependence deaths (Eurostat, residents and
-- deaths in the country, both sexes, all ages), drug-related deaths in Scotland (NRS), and every
-- trend signal, with names. Counts (unit deaths) and rates (per_100k) are different units: charts
-- must not put them on one axis. One row per indicator, geography, substance, breakdown and period
-- (= one fct row; sex and age breakdowns are left out: only sex = all and age_group = all).
with

observations as (
    select * from {{ ref('fct_observations') }}
    where is_latest_vintage
      and sex = 'all'
      and age_group = 'all'
      and (indicator_id in ('overdose_death_rate', 'overdose_deaths', 'drug_dependence_deaths',
                            'drug_related_deaths_nrs')
           or indicator_id like 'trend\_signal\_%' escape '\')
),

indicators as (select * from {{ ref('dim_indicator') }}),
geographies as (select * from {{ ref('dim_geography') }}),
substances as (select * from {{ ref('dim_substance') }}),
sources as (select * from {{ ref('dim_source') }})

select
    cast(observations.indicator_id as varchar) as indicator_id,
    cast(indicators.name_nb as varchar) as indicator_name_nb,
    cast(indicators.name_en as varchar) as indicator_name_en,
    cast(observations.unit as varchar) as unit,
    cast(observations.geo_code as varchar) as geo_code,
    cast(geographies.name_nb as varchar) as geo_name,
    cast(observations.substance_id as varchar) as substance_id,
    cast(substances.name_nb as varchar) as substance_name_nb,
    cast(substances.name_en as varchar) as substance_name_en,
    cast(substances.substance_group as varchar) as substance_group,
    cast(observations.period_type as varchar) as period_type,
    cast(observations.period_start as date) as period_start,
    cast(observations.period_end as date) as period_end,
    cast({{ date_part('year', 'observations.period_start') }} as integer) as year,
    cast(observations.value as double) as value,
    cast(observations.value_low as double) as value_low,
    cast(observations.value_high as double) as value_high,
    cast(observations.qualifier as varchar) as qualifier,
    cast(observations.detail as varchar) as detail,
    cast(observations.breakdown as varchar) as breakdown,
    cast(observations.source_id as varchar) as source_id,
    cast(sources.source_label as varchar) as source_label,
    cast(observations.source_file as varchar) as source_file,
    cast(observations.source_row as integer) as source_row
from observations
left join indicators on observations.indicator_id = indicators.indicator_id
left join geographies on observations.geo_code = geographies.geo_code
left join substances on observations.substance_id = substances.substance_id
left join sources on observations.source_id = sources.source_id
