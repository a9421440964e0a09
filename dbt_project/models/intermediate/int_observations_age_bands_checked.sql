-- Age bands that cannot be what they say: a band published as a number (often 0) where the source
-- had no number, detected because the bands of its group do not add up to the group's total.
-- Eurostat hlth_cd_aro writes ':' for bands it lacks in 2016-2017 but 0 for the same bands in
-- 2018-2019 (Norway F10 2018: 0-14 0, 15-29 0, 30-44 0, 45-64 0, 65+ 92, total 147), so a 0
-- there is "not available", not "no deaths" (and would be shown as a suppressed 0-3).
--
-- Group  = the rows of one load with the same source, indicator, geography, period, substance,
--          sex, breakdown and unit; its total is the age_group 'all' row, its bands the rows whose
--          age_group is a band 'a-b' or 'a+'. Only groups whose bands are disjoint are checked
--          (15-16 beside 15-29 is an overlap, not a partition), and only counts (additive units).
-- Adds up = every band has a number and the bands sum to the total (within 0.5).
-- Share    of a band = sum of the band / sum of the totals over the groups that add up in the
--          same series (the group without its period); when the series has none, pooled over
--          every geography of the same source, indicator, substance, sex and breakdown.
-- Flagged  in a group that has every band of its series (pooled over geographies) and whose
--          known bands sum to less than the total, a band whose number is
--          implausibly low against expected = total x share under a Poisson count:
--          value + 1 < expected - 3.09 * sqrt(expected) (3.09 = the one-sided 0.1 % normal
--          quantile; the +1 keeps a small expectation from flagging a genuine 0), and below half
--          the expectation (large counts drift more than Poisson allows). Such a band
--          gets value null, qualifier not_available and a detail saying why; everything else,
--          and every band of a group that adds up, is passed through untouched.
with

observations as (
    select * from {{ ref('int_observations_unioned') }}
),

parsed as (
    -- lower and upper age of a band ('45-64' -> 45..64, '65+' -> 65..null); null for anything else
    select
        observations.*,
        case
            when regexp_full_match(age_group, '[0-9]+-[0-9]+')
                then cast(split_part(age_group, '-', 1) as integer)
            when regexp_full_match(age_group, '[0-9]+\+')
                then cast(replace(age_group, '+', '') as integer)
        end as band_from,
        case
            when regexp_full_match(age_group, '[0-9]+-[0-9]+')
                then cast(split_part(age_group, '-', 2) as integer)
        end as band_to,
        unit not in {{ non_additive_units() }} as is_count
    from observations
),

bands as (
    select
        parsed.*,
        band_from is not null as is_band,
        -- the previous band (by lower age) of the same group, to see whether bands overlap
        lag(coalesce(band_to, 2147483647)) over (
            partition by load_id, source_id, indicator_id, geo_code, period_type, period_start, period_end,
                         substance_id, sex, breakdown, unit, band_from is not null
            order by band_from, band_to
        ) as previous_band_to
    from parsed
),

groups as (
    select
        load_id, source_id, indicator_id, geo_code, period_type, period_start, period_end,
        substance_id, sex, breakdown, unit,
        max(case when age_group = 'all' then value end) as total_value,
        count(case when age_group = 'all' then 1 end) as n_totals,
        count(case when is_band then 1 end) as n_bands,
        count(case when is_band then value end) as n_band_values,
        sum(case when is_band then value end) as band_sum,
        count(case when is_band and previous_band_to >= band_from then 1 end) as n_overlaps
    from bands
    where is_count
    group by
        load_id, source_id, indicator_id, geo_code, period_type, period_start, period_end,
        substance_id, sex, breakdown, unit
),

checked_groups as (
    select
        groups.*,
        n_totals = 1 and total_value > 0 and n_bands >= 2 and n_overlaps = 0 as is_checkable,
        n_band_values = n_bands and abs(band_sum - total_value) < 0.5 as adds_up,
        -- a group that lacks a band its neighbours have (Eurostat ':' gives no row) has its gap
        -- explained by the missing band: its other bands are not suspected
        n_bands = max(n_bands) over (
            partition by load_id, source_id, indicator_id, substance_id, sex, breakdown, unit
        ) as has_every_band
    from groups
),

grouped_bands as (
    select
        bands.*,
        checked_groups.total_value,
        checked_groups.band_sum,
        checked_groups.is_checkable,
        checked_groups.adds_up,
        checked_groups.has_every_band
    from bands
    inner join checked_groups
        on bands.load_id = checked_groups.load_id
        and bands.source_id = checked_groups.source_id
        and bands.indicator_id = checked_groups.indicator_id
        and bands.geo_code = checked_groups.geo_code
        and bands.period_type = checked_groups.period_type
        and bands.period_start is not distinct from checked_groups.period_start
        and bands.period_end is not distinct from checked_groups.period_end
        and bands.substance_id = checked_groups.substance_id
        and bands.sex = checked_groups.sex
        and bands.breakdown = checked_groups.breakdown
        and bands.unit = checked_groups.unit
    where bands.is_band and checked_groups.is_checkable
),

series_shares as (
    -- the band's share of the total in the periods of its own series that add up
    select
        load_id, source_id, indicator_id, geo_code, substance_id, sex, breakdown, unit, age_group,
        sum(value) / sum(total_value) as share,
        count(*) as n_complete
    from grouped_bands
    where adds_up
    group by load_id, source_id, indicator_id, geo_code, substance_id, sex, breakdown, unit, age_group
),

pooled_shares as (
    -- the same, pooled over geographies: for a series that never adds up
    select
        load_id, source_id, indicator_id, substance_id, sex, breakdown, unit, age_group,
        sum(value) / sum(total_value) as share,
        count(*) as n_complete
    from grouped_bands
    where adds_up
    group by load_id, source_id, indicator_id, substance_id, sex, breakdown, unit, age_group
),

expected as (
    select
        grouped_bands.observation_id,
        grouped_bands.total_value,
        grouped_bands.band_sum,
        coalesce(series_shares.share, pooled_shares.share) as share,
        case when series_shares.share is not null then 'the same series' else 'all geographies' end as share_basis,
        grouped_bands.total_value * coalesce(series_shares.share, pooled_shares.share) as expected_value,
        grouped_bands.value
    from grouped_bands
    left join series_shares
        on grouped_bands.load_id = series_shares.load_id
        and grouped_bands.source_id = series_shares.source_id
        and grouped_bands.indicator_id = series_shares.indicator_id
        and grouped_bands.geo_code = series_shares.geo_code
        and grouped_bands.substance_id = series_shares.substance_id
        and grouped_bands.sex = series_shares.sex
        and grouped_bands.breakdown = series_shares.breakdown
        and grouped_bands.unit = series_shares.unit
        and grouped_bands.age_group = series_shares.age_group
    left join pooled_shares
        on grouped_bands.load_id = pooled_shares.load_id
        and grouped_bands.source_id = pooled_shares.source_id
        and grouped_bands.indicator_id = pooled_shares.indicator_id
        and grouped_bands.substance_id = pooled_shares.substance_id
        and grouped_bands.sex = pooled_shares.sex
        and grouped_bands.breakdown = pooled_shares.breakdown
        and grouped_bands.unit = pooled_shares.unit
        and grouped_bands.age_group = pooled_shares.age_group
    where not grouped_bands.adds_up
      and grouped_bands.has_every_band
      and grouped_bands.value is not null
      and grouped_bands.band_sum < grouped_bands.total_value - 0.5
),

implausible as (
    select
        observation_id,
        {{ dbt.concat([
            "'not available: the age bands sum to '", "cast(cast(band_sum as bigint) as " ~ dbt.type_string() ~ ")",
            "' of the total '", "cast(cast(total_value as bigint) as " ~ dbt.type_string() ~ ")",
            "'; the source gave '", "cast(value as " ~ dbt.type_string() ~ ")",
            "' where '", "cast(round(expected_value, 1) as " ~ dbt.type_string() ~ ")",
            "' are expected from the band''s share ('", "cast(round(100 * share, 1) as " ~ dbt.type_string() ~ ")",
            "' %) in the years that add up in '", "share_basis", "')'",
        ]) }} as not_available_detail
    from expected
    where expected_value is not null
      and value + 1 < expected_value - 3.09 * sqrt(expected_value)
      -- large counts vary more than Poisson between years (trends, overdispersion): a genuine
      -- band is not expected to fall below half its share
      and value < expected_value / 2
)

select
    observations.observation_id,
    observations.observation_key,
    observations.indicator_id,
    observations.geo_code,
    observations.period_type,
    observations.period_start,
    observations.period_end,
    observations.substance_id,
    observations.sex,
    observations.age_group,
    observations.breakdown,
    case when implausible.observation_id is null then observations.value end as value,
    observations.value_low,
    observations.value_high,
    case when implausible.observation_id is null then observations.qualifier else 'not_available' end as qualifier,
    observations.numerator,
    observations.denominator,
    observations.unit,
    observations.is_provisional,
    observations.vintage,
    case
        when implausible.observation_id is null then observations.detail
        when observations.detail is null then implausible.not_available_detail
        else {{ dbt.concat(['implausible.not_available_detail', "'; '", 'observations.detail']) }}
    end as detail,
    observations.source_id,
    observations.load_id,
    observations.source_file,
    observations.source_row,
    observations.source_column,
    observations.superseded_at,
    observations.is_latest_vintage
from observations
left join implausible on observations.observation_id = implausible.observation_id
