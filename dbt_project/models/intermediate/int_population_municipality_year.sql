-- Population on 1 January as observations (indicator population, unit persons), per load:
--   per municipality (2020 borders, geo municip_nor<code>) and for Norway (nation_nor, the sum
--   of the municipalities), age_group 'all' and '15+' (the denominator of per-capita alcohol),
--   period_type point with period_start = period_end = 1 January.
-- Rows flagged imputed (2023-2024, carried forward from 2022) get qualifier `estimated`.
-- One pass over the 754,508 single-year rows: both age groups are conditional sums.
-- Lineage: source_row is the first (MIN) file line summed; detail says how many were summed.
with

population as (
    select * from {{ ref('stg_population__municipality_age') }}
),

municipalities as (
    select
        load_id,
        source_file,
        loaded_at,
        year,
        geo_code,
        cast(sum(population) as bigint) as persons_all,
        cast(sum(case when age >= 15 then population else 0 end) as bigint) as persons_15plus,
        cast(count(*) as bigint) as rows_all,
        cast(sum(case when age >= 15 then 1 else 0 end) as bigint) as rows_15plus,
        min(source_row) as source_row_all,
        min(case when age >= 15 then source_row end) as source_row_15plus,
        max(case when is_imputed then 1 else 0 end) as any_imputed
    from population
    group by load_id, source_file, loaded_at, year, geo_code
),

nation as (
    select
        load_id,
        source_file,
        loaded_at,
        year,
        'nation_nor' as geo_code,
        cast(sum(persons_all) as bigint) as persons_all,
        cast(sum(persons_15plus) as bigint) as persons_15plus,
        cast(count(*) as bigint) as n_municipalities,
        min(source_row_all) as source_row_all,
        min(source_row_15plus) as source_row_15plus,
        max(any_imputed) as any_imputed
    from municipalities
    group by load_id, source_file, loaded_at, year
),

unpivoted as (
    select load_id, source_file, loaded_at, year, geo_code, 'all' as age_group,
           persons_all as persons, source_row_all as source_row, any_imputed,
           {{ dbt.concat(["'sum of '", 'cast(rows_all as ' ~ dbt.type_string() ~ ')', "' single-year age rows'"]) }} as detail
    from municipalities
    union all
    select load_id, source_file, loaded_at, year, geo_code, '15+' as age_group,
           persons_15plus, source_row_15plus, any_imputed,
           {{ dbt.concat(["'sum of '", 'cast(rows_15plus as ' ~ dbt.type_string() ~ ')', "' single-year age rows (age 15 and over)'"]) }}
    from municipalities
    union all
    select load_id, source_file, loaded_at, year, geo_code, 'all' as age_group,
           persons_all, source_row_all, any_imputed,
           {{ dbt.concat(["'sum of '", 'cast(n_municipalities as ' ~ dbt.type_string() ~ ')', "' municipalities (2020 borders)'"]) }}
    from nation
    union all
    select load_id, source_file, loaded_at, year, geo_code, '15+' as age_group,
           persons_15plus, source_row_15plus, any_imputed,
           {{ dbt.concat(["'sum of '", 'cast(n_municipalities as ' ~ dbt.type_string() ~ ')', "' municipalities (2020 borders), age 15 and over'"]) }}
    from nation
)

select
    'population' as indicator_id,
    geo_code,
    'point' as period_type,
    cast({{ dbt.concat(['cast(year as ' ~ dbt.type_string() ~ ')', "'-01-01'"]) }} as date) as period_start,
    cast({{ dbt.concat(['cast(year as ' ~ dbt.type_string() ~ ')', "'-01-01'"]) }} as date) as period_end,
    'not_applicable' as substance_id,
    'all' as sex,
    age_group,
    'all' as breakdown,
    cast(persons as double precision) as value,
    cast(null as double precision) as value_low,
    cast(null as double precision) as value_high,
    case when any_imputed = 1 then 'estimated' else 'exact' end as qualifier,
    cast(null as double precision) as numerator,
    cast(null as double precision) as denominator,
    'persons' as unit,
    false as is_provisional,
    loaded_at as vintage,
    case
        when any_imputed = 1
            then {{ dbt.concat(['detail', "'; imputed: carried forward from the last counted year'"]) }}
        else detail
    end as detail,
    'population' as source_id,
    load_id,
    source_file,
    source_row,
    cast(null as integer) as source_column
from unpivoted
