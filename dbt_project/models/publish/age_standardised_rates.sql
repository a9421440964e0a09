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
    select * from {{ ref('observations') }}
    where period_type = 'year' and age_group <> 'all'
),

shown_bands as (
    select
        rates.source_id, rates.indicator_id, rates.geo_code, rates.substance_id, rates.sex,
        rates.breakdown, rates.year,
        count(distinct observations.age_group) as n_shown
    from rates
    join observations
        on observations.source_id = rates.source_id
        and observations.indicator_id = rates.indicator_id
        and observations.geo_code = rates.geo_code
        and observations.substance_id = rates.substance_id
        and observations.sex = rates.sex
        and observations.breakdown = rates.breakdown
        and extract(year from observations.period_start) = rates.year
        and list_contains(string_split(rates.age_bands, ','), observations.age_group)
    where not observations.is_suppressed and observations.value is not null
    group by 1, 2, 3, 4, 5, 6, 7
)

select
    rates.source_id, rates.indicator_id, rates.geo_code, rates.substance_id, rates.sex,
    rates.breakdown, rates.year, rates.standard_population, rates.age_bands, rates.n_bands,
    rates.deaths, rates.population, rates.crude_rate_per_100k, rates.asr_per_100k,
    rates.asr_low, rates.asr_high, rates.confidence_level, rates.method,
    rates.population_is_estimated
from rates
join shown_bands
    on shown_bands.source_id = rates.source_id
    and shown_bands.indicator_id = rates.indicator_id
    and shown_bands.geo_code = rates.geo_code
    and shown_bands.substance_id = rates.substance_id
    and shown_bands.sex = rates.sex
    and shown_bands.breakdown = rates.breakdown
    and shown_bands.year = rates.year
where shown_bands.n_shown = rates.n_bands
