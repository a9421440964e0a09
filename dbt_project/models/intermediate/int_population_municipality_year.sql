-- Population on 1 January as observations (indicator population, unit persons), per load:
--   per municipality (2020 borders, geo municip_nor<code>) and for Norway (nation_nor, the sum
--   of the municipalities), age_group 'all' and '15+' (the denominator of per-capita alcohol),
--   period_type point with period_start = period_end = 1 January.
-- Rows flagged imputed (2023-2024, carried forward from 2022) get qualifier `estimated`.
-- A national sum over fewer municipalities than the file covers in other years is incomplete and
-- never published as the total: 2005 has no rows for 1160 Vindafjord and 1576 Aure (codes formed
-- in 2006 from 1154/1159 and 1569/1572, which the 2020-border series does not map back; about
-- 11,700 persons). Such a row keeps value null, value_low = the sum and qualifier `above` (a
-- lower bound), and the detail names the missing codes.
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

coverage as (
    -- the municipalities a load covers in any year (the file's set of 2020-border codes): a year
    -- that lacks some is incomplete (2005 lacks 1160 Vindafjord and 1576 Aure, codes of 2006)
    select load_id, year, geo_code
    from (select distinct load_id, geo_code from municipalities) as codes
    inner join (select distinct load_id as year_load_id, year from municipalities) as years
        on codes.load_id = years.year_load_id
),

missing as (
    select
        coverage.load_id,
        coverage.year,
        count(*) as n_missing,
        {{ dbt.listagg('coverage.geo_code', "', '", 'order by coverage.geo_code') }} as missing_codes
    from coverage
    left join municipalities
        on coverage.load_id = municipalities.load_id
        and coverage.year = municipalities.year
        and coverage.geo_code = municipalities.geo_code
    where municipalities.geo_code is null
    group by coverage.load_id, coverage.year
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

nation_checked as (
    -- a national sum over an incomplete set of municipalities is only a lower bound
    select
        nation.*,
        coalesce(missing.n_missing, 0) as n_missing,
        missing.missing_codes
    from nation
    left join missing on nation.load_id = missing.load_id and nation.year = missing.year
),

unpivoted as (
    select load_id, source_file, loaded_at, year, geo_code, 'all' as age_group,
           persons_all as persons, source_row_all as source_row, any_imputed, 0 as n_missing,
           cast(null as {{ dbt.type_string() }}) as missing_codes,
           {{ dbt.concat(["'sum of '", 'cast(rows_all as ' ~ dbt.type_string() ~ ')', "' single-year age rows'"]) }} as detail
    from municipalities
    union all
    select load_id, source_file, loaded_at, year, geo_code, '15+' as age_group,
           persons_15plus, source_row_15plus, any_imputed, 0, cast(null as {{ dbt.type_string() }}),
           {{ dbt.concat(["'sum of '", 'cast(rows_15plus as ' ~ dbt.type_string() ~ ')', "' single-year age rows (age 15 and over)'"]) }}
    from municipalities
    union all
    select load_id, source_file, loaded_at, year, geo_code, 'all' as age_group,
           persons_all, source_row_all, any_imputed, n_missing, missing_codes,
           {{ dbt.concat(["'sum of '", 'cast(n_municipalities as ' ~ dbt.type_string() ~ ')', "' municipalities (2020 borders)'"]) }}
    from nation_checked
    union all
    select load_id, source_file, loaded_at, year, geo_code, '15+' as age_group,
           persons_15plus, source_row_15plus, any_imputed, n_missing, missing_codes,
           {{ dbt.concat(["'sum of '", 'cast(n_municipalities as ' ~ dbt.type_string() ~ ')', "' municipalities (2020 borders), age 15 and over'"]) }}
    from nation_checked
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
    -- an incomplete national sum is published as what it is, a lower bound (qualifier above)
    cast(case when n_missing = 0 then persons end as double precision) as value,
    cast(case when n_missing > 0 then persons end as double precision) as value_low,
    cast(null as double precision) as value_high,
    case when n_missing > 0 then 'above' when any_imputed = 1 then 'estimated' else 'exact' end as qualifier,
    cast(null as double precision) as numerator,
    cast(null as double precision) as denominator,
    'persons' as unit,
    false as is_provisional,
    loaded_at as vintage,
    case
        when n_missing > 0
            then {{ dbt.concat(['detail', "'; incomplete, a lower bound: no rows for '", 'missing_codes',
                                "' (municipalities of the file that are missing this year)'"]) }}
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
