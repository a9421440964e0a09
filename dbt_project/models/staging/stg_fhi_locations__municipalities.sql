-- FHI's municipality code history (csdata norway_locations), every load kept; rename/cast only.
-- One row per municipality code, validity span and successor (a split has one row per
-- successor, with its weighting). Codes are kept as FHI writes them (municip_nor4601).
with

source as (
    select * from {{ source('raw', 'fhi_locations__municipalities') }}
),

renamed as (
    select
        cast(year_start as integer) as year_start,
        cast(year_end as integer) as year_end,
        nullif(trim(municip_code_end), '') as successor_code,
        cast(weighting as double) as weighting,
        trim(municip_code) as municip_code,
        trim(municip_name) as municip_name,
        nullif(trim(county_code), '') as county_code,
        nullif(trim(county_name), '') as county_name,
        nullif(trim(georegion_code), '') as georegion_code,
        nullif(trim(georegion_name), '') as georegion_name,
        nullif(trim(mtregion_code), '') as mtregion_code,
        nullif(trim(mtregion_name), '') as mtregion_name,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
