-- Harmonised geographies: the hand-kept seed (nations, US states and cities, landsdeler, health
-- trust, ambulance area, and the Bergen/Vestland rows) plus every municipality and county in
-- FHI's code history (current load of raw.fhi_locations__municipalities), with codes as FHI
-- writes them (municip_nor4601, county_nor46), plus the areas source specs declare
-- (meta.declared_geographies, e.g. police districts). Where a code is in both, the seed row wins.
--   municipality: name from its latest row; valid_from_year/valid_to_year over all its rows
--                 (null valid_to while current); successor_code = the code(s) it became
--                 (`|`-separated for a split); former_codes = the codes that became it;
--                 parent = its county in its latest row.
--   county:       name and landsdel from its latest municipality row; valid years span its
--                 municipalities' rows; parent = landsdel (georegion), or Norway for the
--                 pseudo-counties without one (unknown county, Svalbard, Jan Mayen).
with

seeded as (
    select * from {{ ref('geographies') }}
),

locations as (
    select * from {{ ref('stg_fhi_locations__municipalities') }}
    where is_latest_load
),

latest_row as (
    -- the newest validity span of each code carries its current name and county
    select *
    from (
        select
            locations.*,
            row_number() over (
                partition by municip_code
                order by year_start desc, source_row desc
            ) as recency
        from locations
    ) ranked
    where recency = 1
),

municipality_spans as (
    select
        municip_code,
        min(year_start) as valid_from_year,
        case when count(*) = count(year_end) then max(year_end) end as valid_to_year
    from locations
    group by municip_code
),

successors as (
    select
        municip_code,
        {{ dbt.listagg('successor_code', "'|'", 'order by successor_code') }} as successor_code
    from (select distinct municip_code, successor_code from locations where successor_code is not null) s
    group by municip_code
),

predecessors as (
    select
        successor_code as municip_code,
        {{ dbt.listagg('municip_code', "'|'", 'order by municip_code') }} as former_codes
    from (select distinct municip_code, successor_code from locations where successor_code is not null) p
    group by successor_code
),

municipalities as (
    select
        latest_row.municip_code as geo_code,
        'municip' as geo_level,
        latest_row.municip_name as name_nb,
        latest_row.municip_name as name_en,
        latest_row.county_code as parent_code,
        municipality_spans.valid_from_year,
        municipality_spans.valid_to_year,
        predecessors.former_codes,
        successors.successor_code
    from latest_row
    inner join municipality_spans on latest_row.municip_code = municipality_spans.municip_code
    left join successors on latest_row.municip_code = successors.municip_code
    left join predecessors on latest_row.municip_code = predecessors.municip_code
),

county_latest as (
    select *
    from (
        select
            county_code, county_name, georegion_code,
            row_number() over (
                partition by county_code
                order by year_start desc, source_row desc
            ) as recency
        from locations
        where county_code is not null
    ) ranked
    where recency = 1
),

county_spans as (
    select
        county_code,
        min(year_start) as valid_from_year,
        case when count(*) = count(year_end) then max(year_end) end as valid_to_year
    from locations
    where county_code is not null
    group by county_code
),

counties as (
    select
        county_latest.county_code as geo_code,
        'county' as geo_level,
        county_latest.county_name as name_nb,
        county_latest.county_name as name_en,
        coalesce(county_latest.georegion_code, 'nation_nor') as parent_code,
        county_spans.valid_from_year,
        county_spans.valid_to_year,
        cast(null as {{ dbt.type_string() }}) as former_codes,
        cast(null as {{ dbt.type_string() }}) as successor_code
    from county_latest
    inner join county_spans on county_latest.county_code = county_spans.county_code
),

from_fhi as (
    select * from municipalities
    union all
    select * from counties
),

unioned as (
    select
        geo_code, geo_level, name_nb, name_en, parent_code, valid_from_year, valid_to_year,
        former_codes,
        cast(null as {{ dbt.type_string() }}) as successor_code,
        'seed' as defined_in
    from seeded
    union all
    select
        geo_code, geo_level, name_nb, name_en, parent_code, valid_from_year, valid_to_year,
        former_codes, successor_code,
        'fhi_locations' as defined_in
    from from_fhi
    where geo_code not in (select geo_code from seeded)
    union all
    -- spec `geographies:` (meta.declared_geographies); ingest refuses a code that collides with a
    -- seed code, so the filter only guards against an FHI code a spec also declares
    select
        geo_code, geo_level, name_nb, name_en, parent_code, valid_from_year, valid_to_year,
        cast(null as {{ dbt.type_string() }}) as former_codes,
        cast(null as {{ dbt.type_string() }}) as successor_code,
        'source_spec' as defined_in
    from {{ ref('stg_meta__declared_geographies') }}
    where geo_code not in (select geo_code from seeded)
      and geo_code not in (select geo_code from from_fhi)
),

current_borders as (
    -- today's code(s) of every FHI municipality code (int_geography_current_borders)
    select
        from_code,
        {{ dbt.listagg('to_code', "'|'", 'order by to_code') }} as current_codes,
        max(case when is_estimated then 1 else 0 end) = 1 as current_is_estimated
    from (
        select distinct from_code, to_code, is_estimated
        from {{ ref('int_geography_current_borders') }}
    ) b
    group by from_code
)

select
    cast(geo_code as varchar) as geo_code,
    cast(geo_level as varchar) as geo_level,
    cast(name_nb as varchar) as name_nb,
    cast(name_en as varchar) as name_en,
    cast(parent_code as varchar) as parent_code,
    cast(valid_from_year as integer) as valid_from_year,
    cast(valid_to_year as integer) as valid_to_year,
    cast(former_codes as varchar) as former_codes,
    cast(successor_code as varchar) as successor_code,
    cast(defined_in as varchar) as defined_in,
    -- today's borders: a municipality's current code(s) ('|' for a split); other levels are themselves
    cast(coalesce(current_borders.current_codes, unioned.geo_code) as varchar) as current_codes,
    cast(coalesce(current_borders.current_is_estimated, false) as boolean) as current_is_estimated,
    cast(unioned.valid_to_year is null and coalesce(unioned.successor_code, '') = '' as boolean) as is_current
from unioned
left join current_borders on unioned.geo_code = current_borders.from_code
