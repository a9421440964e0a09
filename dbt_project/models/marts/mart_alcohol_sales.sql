-- On-premise alcohol sales by beverage group. One row per geography, year and beverage group.
-- share_of_total_pct is of the three groups' litres of beverage that year (not pure alcohol:
-- a litre of beer and a litre of spirits weigh the same here, as in the source table).
-- change_from_previous_pct compares with the same group in the immediately preceding year only;
-- after a gap in the series it is null rather than a change over several years.
-- Pure alcohol and per capita (ASSUMPTIONS, see catalogue.alcohol_strengths): pure_alcohol_litres
-- = litres * assumed_abv, the strength assumed per beverage group (beer 4.5 %, wine 12 %, spirits
-- 40 %), not measured; per capita 15+ divides by the residents aged 15 and over on 1 January of the
-- year in today's borders (int_population_current_borders; null before 2005, the first bundled year).
with

sales as (
    select * from {{ ref('fct_observations') }}
    where is_latest_vintage
      and indicator_id = 'on_premise_sales_litres'
      and period_type = 'year'
      and substance_id in ('alcohol_beer', 'alcohol_wine', 'alcohol_spirits')
),

with_year as (
    select
        sales.*,
        cast({{ date_part('year', 'period_start') }} as integer) as year
    from sales
),

windowed as (
    select
        with_year.*,
        sum(value) over (partition by geo_code, year) as total_litres,
        lag(value) over (partition by geo_code, substance_id order by year) as previous_litres,
        lag(year) over (partition by geo_code, substance_id order by year) as previous_year
    from with_year
),

strengths as (select * from {{ ref('alcohol_strengths') }}),
population_15plus as (
    select geo_code, year, persons from {{ ref('int_population_current_borders') }}
    where age_group = '15+'
),
geographies as (select * from {{ ref('dim_geography') }}),
substances as (select * from {{ ref('dim_substance') }}),
sources as (select * from {{ ref('dim_source') }})

select
    cast(windowed.geo_code as varchar) as geo_code,
    cast(geographies.name_nb as varchar) as geo_name,
    cast(windowed.year as integer) as year,
    cast(windowed.period_start as date) as period_start,
    cast(windowed.period_end as date) as period_end,
    cast(windowed.substance_id as varchar) as substance_id,
    cast(substances.name_nb as varchar) as beverage_name_nb,
    cast(substances.name_en as varchar) as beverage_name_en,
    cast(windowed.value as double) as litres,
    cast(round(100.0 * windowed.value / nullif(windowed.total_litres, 0), 2) as double) as share_of_total_pct,
    cast(case
        when windowed.previous_year = windowed.year - 1 and windowed.previous_litres > 0
            then round(100.0 * (windowed.value - windowed.previous_litres) / windowed.previous_litres, 2)
    end as double) as change_from_previous_pct,
    cast(strengths.assumed_abv as double) as assumed_abv,
    cast(windowed.value * strengths.assumed_abv as double) as pure_alcohol_litres,
    cast(population_15plus.persons as double) as population_15plus,
    cast(windowed.value / nullif(population_15plus.persons, 0) as double) as litres_per_capita_15plus,
    cast(windowed.value * strengths.assumed_abv / nullif(population_15plus.persons, 0) as double) as pure_alcohol_per_capita_15plus,
    cast(windowed.qualifier as varchar) as qualifier,
    cast(windowed.source_id as varchar) as source_id,
    cast(sources.source_label as varchar) as source_label,
    cast(windowed.source_file as varchar) as source_file,
    cast(windowed.source_row as integer) as source_row
from windowed
left join geographies on windowed.geo_code = geographies.geo_code
left join substances on windowed.substance_id = substances.substance_id
left join sources on windowed.source_id = sources.source_id
left join strengths on windowed.substance_id = strengths.substance_id
left join population_15plus
    on windowed.geo_code = population_15plus.geo_code and windowed.year = population_15plus.year
