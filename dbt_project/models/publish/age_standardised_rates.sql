-- Age-standardised death rates as they may leave the building (marts.mart_age_standardised_rates):
-- only rows with an ASR (asr_status ok) whose EVERY age band is shown in publish.observations
-- (not suppressed, value present, same source, indicator, geography, year, substance, sex and
-- breakdown). An ASR is a linear combination of the band counts with known weights and
-- populations: beside the shown bands it would give away a hidden one (one unknown, one
-- equation), and so would its interval. So one suppressed band withholds the whole row.
with

rates as (
    select * from {{ ref('mart_age_standardised_rates') }}
    where asr_status = 'ok'
),

observations as (
    select
        source_id, indicator_id, geo_code, substance_id, sex, breakdown,
        cast(extract(year from period_start) as integer) as year, age_group
    from {{ ref('observations') }}
    where period_type = 'year' and age_group <> 'all'
        and not is_suppressed and value is not null
),

shown_bands as (
    select
        source_id, indicator_id, geo_code, substance_id, sex, breakdown, year,
        count(distinct observations.age_group) as n_shown
    from rates
    join observations using (source_id, indicator_id, geo_code, substance_id, sex, breakdown, year)
    where list_contains(string_split(rates.age_bands, ','), observations.age_group)
    group by all
)

select
    rates.source_id, rates.indicator_id, rates.geo_code, rates.substance_id, rates.sex,
    rates.breakdown, rates.year, rates.standard_population, rates.age_bands, rates.n_bands,
    rates.deaths, rates.population, rates.crude_rate_per_100k, rates.asr_per_100k,
    rates.asr_low, rates.asr_high, rates.confidence_level, rates.method,
    rates.population_is_estimated
from rates
join shown_bands using (source_id, indicator_id, geo_code, substance_id, sex, breakdown, year)
where shown_bands.n_shown = rates.n_bands
