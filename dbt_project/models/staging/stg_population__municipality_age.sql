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

loads as (
    -- only `loaded` loads wrote rows; an `unchanged` log row repeats an earlier load_id
    select load_id, loaded_at, is_latest_load from {{ ref('stg_meta__load_log') }}
    where status = 'loaded'
)

select
    renamed.*,
    loads.loaded_at,
    coalesce(loads.is_latest_load, false) as is_latest_load
from renamed
left join loads on renamed.load_id = loads.load_id
