-- Population on 1 January by municipality (2020 borders) and single year of age (754,508 rows
-- per load), every load kept; rename/cast only. geo_code is built here in FHI style
-- (municip_nor + the four-digit code) so every later model joins on harmonised codes.
with

source as (
    select * from {{ source('raw', 'population__municipality_age') }}
),

renamed as (
    select
        cast("year" as integer) as year,
        trim(municipality_code) as municipality_code,
        'municip_nor' || trim(municipality_code) as geo_code,
        cast(age as integer) as age,
        cast(population as bigint) as population,
        -- 2023-2024 are carried forward from 2022, not counted
        cast(imputed as boolean) as is_imputed,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
