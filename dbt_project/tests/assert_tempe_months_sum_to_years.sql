{#
  Mixed frequencies align upward only: the Tempe monthly counts of a load, summed per calendar
  year, equal the year count counted straight from the incidents (both are counted, neither is
  derived from the other). Weeks are not checked here: ISO weeks cross month and year
  boundaries, so they are aligned only through dim_period. Expected: 0 rows.
#}
with

counts as (
    select * from {{ ref('int_tempe_ems_callouts_counted') }}
),

months as (
    select load_id, indicator_id, {{ date_part('year', 'period_start') }} as year, sum(value) as month_total
    from counts
    where period_type = 'month'
    group by load_id, indicator_id, {{ date_part('year', 'period_start') }}
),

years as (
    select load_id, indicator_id, {{ date_part('year', 'period_start') }} as year, value as year_total
    from counts
    where period_type = 'year'
)

select coalesce(years.load_id, months.load_id) as load_id,
       coalesce(years.indicator_id, months.indicator_id) as indicator_id,
       coalesce(years.year, months.year) as year,
       months.month_total, years.year_total
from years
full outer join months
    on years.load_id = months.load_id
   and years.indicator_id = months.indicator_id
   and years.year = months.year
where months.month_total is null
   or years.year_total is null
   or months.month_total <> years.year_total
