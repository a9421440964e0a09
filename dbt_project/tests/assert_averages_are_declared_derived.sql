-- An indicator whose name says it is an average must be listed as a derived average in
-- seeds/series_statistical_scope.csv for every breakdown it has: otherwise it would be modelled
-- as Poisson counts, tested with Mann-Kendall and summed into rolling_3y_sum (issue 9).
select distinct fct.indicator_id, fct.breakdown
from {{ ref('fct_observations') }} as fct
join {{ ref('dim_indicator') }} as ind on fct.indicator_id = ind.indicator_id
left join {{ ref('series_statistical_scope') }} as scope
    on fct.indicator_id = scope.indicator_id and fct.breakdown = scope.breakdown
where (ind.name_en ilike '%average%' or ind.indicator_id ilike '%avg%')
  and not coalesce(scope.is_derived_average, false)
