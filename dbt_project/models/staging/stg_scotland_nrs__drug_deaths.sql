-- National Records of Scotland drug-related deaths trend table, every load kept; rename/cast
-- only. Observations come from raw.declared_observations.
with

source as (
    select * from {{ source('raw', 'scotland_nrs__drug_deaths') }}
),

renamed as (
    select
        cast("year" as integer) as year,
        cast(drug_related_deaths as integer) as drug_related_deaths,
        cast(change_from_previous_year as double) as change_from_previous_year,
        cast(average_3y as double) as average_3y,
        cast(average_5y as double) as average_5y,
        cast(change_from_previous_average_5y as double) as change_from_previous_average_5y,
        cast(likely_lower as double) as likely_lower,
        cast(likely_upper as double) as likely_upper,
        cast(drug_related_deaths_consistent as integer) as drug_related_deaths_consistent,
        cast(consistent_minus_published as integer) as consistent_minus_published,
        cast(consistent_minus_published_share as double) as consistent_minus_published_share,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
