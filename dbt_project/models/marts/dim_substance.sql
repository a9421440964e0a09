-- Substance taxonomy as a contracted dimension: the seed plus the substances source specs declare
-- (meta.declared_substances, e.g. nitazenes). Where both define a substance_id the seed row wins;
-- a declared substance without a group takes its own id as group (substance_group is not null).
with

seeded as (
    select substance_id, parent_id, substance_group, name_nb, name_en
    from {{ ref('substances') }}
),

declared as (
    select substance_id, parent_id, coalesce(substance_group, substance_id) as substance_group, name_nb, name_en
    from {{ ref('stg_meta__declared_substances') }}
    where substance_id not in (select substance_id from seeded)
),

unioned as (
    select * from seeded
    union all
    select * from declared
)

select
    cast(substance_id as varchar) as substance_id,
    cast(parent_id as varchar) as parent_id,
    cast(substance_group as varchar) as substance_group,
    cast(name_nb as varchar) as name_nb,
    cast(name_en as varchar) as name_en
from unioned
