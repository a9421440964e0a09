-- Substance taxonomy (seed) as a contracted dimension.
select
    cast(substance_id as varchar) as substance_id,
    cast(parent_id as varchar) as parent_id,
    cast(substance_group as varchar) as substance_group,
    cast(name_nb as varchar) as name_nb,
    cast(name_en as varchar) as name_en
from {{ ref('substances') }}
