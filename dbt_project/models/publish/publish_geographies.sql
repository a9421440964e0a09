-- Published as publish.geographies: the place names in both languages, so the app names a place in
-- the reader's language (Norge / Norway) instead of the one name the data views carry.
{{ config(alias='geographies') }}
select
    cast(geo_code as varchar) as geo_code,
    cast(geo_level as varchar) as geo_level,
    cast(name_nb as varchar) as name_nb,
    cast(coalesce(name_en, name_nb) as varchar) as name_en,
    cast(parent_code as varchar) as parent_code
from {{ ref('dim_geography') }}
