-- Overdose deaths versus ambulance overdose callouts. One row per geography and year.
-- From mart_indicator_series (today's borders, latest vintage, rates with exact Poisson limits):
--   deaths    overdose_deaths_residents (report figures: Bergen), drug_dependence_deaths
--             (Eurostat, both sexes, all ages, residents), drug_related_deaths_nrs (NRS Scotland,
--             breakdown all), overdose_deaths (CDC VSRR, all drugs, the 12 months ending December
--             = the calendar year). Where two of these cover one geography and year, the first in
--             that order wins (deaths_source_id says which).
--   callouts  overdose_callouts per calendar year (Helse Bergen ambulance area as printed;
--             Tempe counted from incidents).
-- Bounds stay bounds: a 'below 30' year has deaths null, deaths_high 29, death_rate_high only.
-- callouts_per_death = callouts / deaths where both are NUMBERS for the same geography and year
-- (null when deaths is a bound: a ratio of a range would be a range, not a number).
-- callouts_per_death_low / _high: where the deaths are a RANGE (no number, both bounds, lower
-- bound above 0), the ratio's bounds from the deaths' bounds: callouts / deaths_high ..
-- callouts / deaths_low; callouts_per_death stays null then (never a midpoint). A one-sided
-- bound ('below 30', 'over 6000') leaves the ratio unbounded on one side: no bounds at all.
-- deaths_indicator_id names the indicator the deaths come from (publish.overdose looks up the
-- suppression rule by it).
-- PAIRING (documented, deliberate): the Helse Bergen ambulance area is its own geography (its
-- callouts stay on its own row, its population is unknown so it has no callout rate), but for
-- callouts_per_death only its deaths denominator is Bergen municipality's (municip_nor4601), the
-- core of the ambulance area; the ambulance area also serves neighbouring municipalities, so the
-- ratio overstates callouts per Bergen death. With today's data Bergen's deaths in the callout years
-- (2011, 2014) are ranges 31-36, so the ratio is null and its bounds are given instead
-- (2011: 710 / 36 .. 710 / 31 = 19.7 .. 22.9 callouts per death). Tempe has callouts but no deaths: its
-- rows are kept with a null ratio.
with

series as (
    select * from {{ ref('mart_indicator_series') }}
),

deaths_ranked as (
    select
        series.*,
        row_number() over (
            partition by geo_code, year
            order by case indicator_id
                when 'overdose_deaths_residents' then 1
                when 'drug_dependence_deaths' then 2
                when 'drug_related_deaths_nrs' then 3
                when 'overdose_deaths' then 4
            end, breakdown
        ) as priority
    from series
    where sex = 'all'
      and age_group = 'all'
      and (
          (indicator_id = 'overdose_deaths_residents' and period_type = 'year')
          or (indicator_id = 'drug_dependence_deaths' and period_type = 'year' and breakdown like 'residents%')
          or (indicator_id = 'drug_related_deaths_nrs' and period_type = 'year' and breakdown = 'all')
          or (indicator_id = 'overdose_deaths' and period_type = 'twelve_months_ending'
              and substance_id = 'all' and {{ date_part('month', 'period_end') }} = 12
              and {{ date_part('month', 'period_start') }} = 1)
      )
),

deaths as (
    select * from deaths_ranked where priority = 1
),

callouts as (
    select *
    from series
    where indicator_id = 'overdose_callouts'
      and period_type = 'year'
      and sex = 'all'
      and age_group = 'all'
      and breakdown = 'all'
),

pairs as (
    -- callout geography -> geography whose deaths are the denominator of callouts_per_death
    select 'ambulancearea_nor_helse_bergen' as callout_geo_code, 'municip_nor4601' as deaths_geo_code
),

keys as (
    select geo_code, year from deaths
    union
    select geo_code, year from callouts
),

geographies as (select * from {{ ref('dim_geography') }}),

joined as (
    select
        keys.geo_code,
        keys.year,
        deaths.value as deaths,
        deaths.value_low as deaths_low,
        deaths.value_high as deaths_high,
        deaths.qualifier as deaths_qualifier,
        deaths.rate_per_100k as death_rate_per_100k,
        deaths.rate_low as death_rate_low,
        deaths.rate_high as death_rate_high,
        callouts.value as callouts,
        callouts.rate_per_100k as callout_rate_per_100k,
        -- the deaths row the ratio divides by: the paired geography's where a pair exists
        case when pairs.callout_geo_code is not null then paired_deaths.value else deaths.value end
            as ratio_deaths,
        case when pairs.callout_geo_code is not null then paired_deaths.value_low else deaths.value_low end
            as ratio_deaths_low,
        case when pairs.callout_geo_code is not null then paired_deaths.value_high else deaths.value_high end
            as ratio_deaths_high,
        deaths.source_id as deaths_source_id,
        callouts.source_id as callouts_source_id,
        deaths.indicator_id as deaths_indicator_id,
        -- the disclosure cells of the deaths shown and of the deaths the ratio divides by
        case when deaths.geo_code is not null then {{ disclosure_cell_key('deaths') }} end as deaths_cell_key,
        case
            when pairs.callout_geo_code is not null and paired_deaths.geo_code is not null
                then {{ disclosure_cell_key('paired_deaths') }}
            when pairs.callout_geo_code is null and deaths.geo_code is not null
                then {{ disclosure_cell_key('deaths') }}
        end as ratio_deaths_cell_key
    from keys
    left join deaths on keys.geo_code = deaths.geo_code and keys.year = deaths.year
    left join callouts on keys.geo_code = callouts.geo_code and keys.year = callouts.year
    left join pairs on keys.geo_code = pairs.callout_geo_code
    left join deaths as paired_deaths
        on pairs.deaths_geo_code = paired_deaths.geo_code and keys.year = paired_deaths.year
)

select
    cast(joined.geo_code as varchar) as geo_code,
    cast(geographies.name_nb as varchar) as geo_name,
    cast(joined.year as integer) as year,
    cast(joined.deaths as double) as deaths,
    cast(joined.deaths_low as double) as deaths_low,
    cast(joined.deaths_high as double) as deaths_high,
    cast(joined.deaths_qualifier as varchar) as deaths_qualifier,
    cast(joined.death_rate_per_100k as double) as death_rate_per_100k,
    cast(joined.death_rate_low as double) as death_rate_low,
    cast(joined.death_rate_high as double) as death_rate_high,
    cast(joined.callouts as double) as callouts,
    cast(joined.callout_rate_per_100k as double) as callout_rate_per_100k,
    cast(case
        when joined.callouts is not null and joined.ratio_deaths > 0
            then joined.callouts / joined.ratio_deaths
    end as double) as callouts_per_death,
    cast(joined.deaths_source_id as varchar) as deaths_source_id,
    cast(joined.callouts_source_id as varchar) as callouts_source_id,
    cast(joined.deaths_indicator_id as varchar) as deaths_indicator_id,
    -- bounds of the ratio only where the deaths are a range (no number, both bounds, low > 0)
    cast(case
        when joined.callouts is not null and joined.ratio_deaths is null
         and joined.ratio_deaths_low > 0 and joined.ratio_deaths_high is not null
            then joined.callouts / joined.ratio_deaths_high
    end as double) as callouts_per_death_low,
    cast(case
        when joined.callouts is not null and joined.ratio_deaths is null
         and joined.ratio_deaths_low > 0 and joined.ratio_deaths_high is not null
            then joined.callouts / joined.ratio_deaths_low
    end as double) as callouts_per_death_high,
    cast(joined.deaths_cell_key as varchar) as deaths_cell_key,
    cast(joined.ratio_deaths_cell_key as varchar) as ratio_deaths_cell_key
from joined
left join geographies on joined.geo_code = geographies.geo_code
