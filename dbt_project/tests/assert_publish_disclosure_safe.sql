{{ config(severity='error') }}
-- Disclosure check over every publish view that carries counts or numbers derived from them:
-- each published cell is compared with the unsuppressed mart it comes from (macros/disclosure.sql),
-- so a view that forgets the rule is caught whatever its own is_suppressed says. Any row here is
-- a number that must not leave the building; the build fails and the last good warehouse stays
-- published. Fits (trend_stats, trend_segments) must come only from series with no hidden cell.
-- Views without counts under a rule are not listed: alcohol_sales (litres) and survey_rounds
-- (answers of key informants). Recovery through totals is the audit's part
-- (assert_disclosure_audit_protects_every_cell); the sex and age checks here are a second,
-- simpler look at the commonest case.
{%- set series_grain = ['source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end',
                        'substance_id', 'breakdown', 'unit', 'sex', 'age_group'] %}
select * from (
    {{ disclosure_violations(
        'publish.observations',
        ref('observations'),
        '(select * from ' ~ ref('fct_observations') ~ ' where is_latest_vintage)',
        ['observation_id'],
        ['value', 'value_low', 'value_high', 'numerator'],
        'coalesce(t.value, t.value_high, t.value_low)',
        series_grain, ['sex', 'age_group']) }}
) as observations_violations

union all

select * from (
    {{ disclosure_violations(
        'publish.indicator_series',
        ref('indicator_series'),
        ref('mart_indicator_series'),
        ['source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end',
         'substance_id', 'sex', 'age_group', 'breakdown'],
        ['value', 'value_low', 'value_high', 'numerator', 'rate_per_100k', 'rate_low', 'rate_high',
         'index_value'],
        'coalesce(t.value, t.value_high, t.value_low)',
        series_grain, ['sex', 'age_group']) }}
) as indicator_series_violations

union all

-- numbers of a shown row that give away a hidden neighbour: a change from a hidden previous
-- period, a rolling sum over a hidden year, an index on a hidden base year
select 'publish.indicator_series' as view_name, check_name, cell, detail from (
    select
        case
            when change_from_previous is not null and previous_hidden then 'change_reveals_hidden_previous'
            when change_from_previous_pct is not null and previous_hidden then 'change_reveals_hidden_previous'
            when rolling_3y_sum is not null and window_hidden then 'rolling_sum_reveals_hidden_year'
        end as check_name,
        {{ cell_key(['source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'substance_id',
                     'sex', 'age_group', 'breakdown']) }} as cell,
        'derived number shown next to a hidden cell' as detail
    from (
        select
            published.*,
            lag(value is null and value_low is null and value_high is null) over w as previous_hidden,
            max(case when value is null and value_low is null and value_high is null
                     and (is_suppressed or qualifier = 'suppressed') then 1 else 0 end)
                over (w rows between 2 preceding and current row) = 1 as window_hidden
        from {{ ref('indicator_series') }} as published
        window w as (partition by source_id, indicator_id, geo_code, substance_id, sex, age_group, breakdown,
                                  period_type order by period_start)
    ) as neighbours
) as derived
where check_name is not null

union all

select * from (
    {{ disclosure_violations(
        'publish.overdose',
        ref('overdose'),
        ref('mart_overdose'),
        ['geo_code', 'year'],
        ['deaths', 'deaths_low', 'deaths_high', 'death_rate_per_100k', 'death_rate_low', 'death_rate_high',
         'callouts_per_death', 'callouts_per_death_low', 'callouts_per_death_high'],
        'coalesce(t.deaths, t.deaths_high, t.deaths_low)',
        rule_on='p.deaths_indicator_id = rules.indicator_id',
        truth_withheld="coalesce(t.deaths_qualifier = 'suppressed', false)") }}
) as overdose_violations

union all

-- a shown ratio whose implied death count (callouts / callouts_per_death, from the mart) is small
select 'publish.overdose', 'ratio_reveals_small_count',
       {{ cell_key(['p.geo_code', 'p.year']) }},
       'callouts_per_death implies ' || cast(round(t.callouts / t.callouts_per_death) as varchar) || ' deaths'
from {{ ref('overdose') }} as p
inner join {{ ref('mart_overdose') }} as t on p.geo_code = t.geo_code and p.year = t.year
where p.callouts_per_death is not null
  and t.callouts / t.callouts_per_death < {{ strictest_suppress_below() }}

union all

-- shown ratio bounds whose implied upper bound of deaths (callouts / callouts_per_death_low, the
-- number a bound is judged by) is small; either bound shown counts (together they give both)
select 'publish.overdose', 'ratio_bounds_reveal_small_count',
       {{ cell_key(['p.geo_code', 'p.year']) }},
       'callouts_per_death_low implies at most ' || cast(round(t.callouts / t.callouts_per_death_low) as varchar) || ' deaths'
from {{ ref('overdose') }} as p
inner join {{ ref('mart_overdose') }} as t on p.geo_code = t.geo_code and p.year = t.year
where (p.callouts_per_death_low is not null or p.callouts_per_death_high is not null)
  and t.callouts / t.callouts_per_death_low < {{ strictest_suppress_below() }}

union all

select * from (
    {{ disclosure_violations(
        'publish.substance_trends',
        ref('substance_trends'),
        ref('mart_substance_trends'),
        ['source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end',
         'substance_id', 'breakdown', 'unit'],
        ['value', 'value_low', 'value_high'],
        'coalesce(t.value, t.value_high, t.value_low)') }}
) as substance_trends_violations

union all

-- a fit published for a series that has a hidden cell (its counts could be solved back from it)
{%- for view in ['trend_stats', 'trend_segments'] %}
select 'publish.{{ view }}', 'fit_over_hidden_cells',
       {{ cell_key(['fit.indicator_id', 'fit.geo_code', 'fit.substance_id', 'fit.sex', 'fit.age_group',
                    'fit.breakdown', 'fit.unit']) }},
       'a fit over a series with a hidden cell'
from {{ ref(view) }} as fit
where exists (
    select 1 from {{ ref('indicator_series') }} as s
    where s.is_suppressed and s.indicator_id = fit.indicator_id and s.geo_code = fit.geo_code
      and s.substance_id = fit.substance_id and s.sex = fit.sex and s.age_group = fit.age_group
      and s.breakdown = fit.breakdown and s.unit = fit.unit
)
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
