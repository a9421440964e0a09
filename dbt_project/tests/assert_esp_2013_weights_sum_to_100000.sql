-- The European Standard Population 2013 sums to 100,000 in 20 contiguous 5-year bands from 0 to
-- 95+: a mistyped or missing weight in seeds/european_standard_population_2013.csv fails here.
select count(*) as n_bands, sum(weight) as total, max(age_start) as last_start
from {{ ref('european_standard_population_2013') }}
having sum(weight) <> 100000 or count(*) <> 20 or max(age_start) <> 95
