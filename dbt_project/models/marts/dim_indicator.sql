-- Indicator catalogue as a contracted dimension: the hand-kept seed plus the indicators that
-- source specs declare (meta.declared_indicators). Where both define an indicator_id, the seed
-- row wins (a person curated it); a spec-only source needs no seed row.
with

seeded as (
    select
        cast(indicator_id as varchar) as indicator_id,
        cast(name_nb as varchar) as name_nb,
        cast(name_en as varchar) as name_en,
        cast(unit as varchar) as unit,
        cast(definition_en as varchar) as definition_en,
        cast(source_id as varchar) as source_id,
        cast(suppress_below as integer) as suppress_below,
        'seed' as defined_in
    from {{ ref('indicators') }}
),

declared as (
    select
        indicator_id, name_nb, name_en, unit, definition_en, source_id, suppress_below,
        'source_spec' as defined_in
    from {{ ref('stg_meta__declared_indicators') }}
    where indicator_id not in (select indicator_id from seeded)
),

unioned as (
    select * from seeded
    union all
    select * from declared
)

select
    cast(indicator_id as varchar) as indicator_id,
    cast(name_nb as varchar) as name_nb,
    cast(name_en as varchar) as name_en,
    cast(unit as varchar) as unit,
    cast(definition_en as varchar) as definition_en,
    cast(source_id as varchar) as source_id,
    cast(suppress_below as integer) as suppress_below,
    cast(defined_in as varchar) as defined_in
from unioned
