-- Harmonised geographies (seed) as a contracted dimension. When population and the FHI location
-- table come in through ingest, this is where they will be joined.
select
    cast(geo_code as varchar) as geo_code,
    cast(geo_level as varchar) as geo_level,
    cast(name_nb as varchar) as name_nb,
    cast(name_en as varchar) as name_en,
    cast(parent_code as varchar) as parent_code,
    cast(valid_from_year as integer) as valid_from_year,
    cast(valid_to_year as integer) as valid_to_year,
    cast(former_codes as varchar) as former_codes
from {{ ref('geographies') }}
