-- Tempe (Arizona) opioid-related ambulance incidents, one row per incident, every load kept.
-- incident_date: the file writes local clock times with a meaningless '+00' offset (the hours
-- agree with Time_of_Day in Arizona time; date-only rows sit at 00:00 or 07:00), so the calendar
-- date of the timestamp as written is the local date. The file's own Year column disagrees with
-- that date for 6 incidents dated 1 January (filed under the previous year): kept as
-- published_year, not used for counting.
with

source as (
    select * from {{ source('raw', 'tempe_ems__opioid_calls') }}
),

renamed as (
    select
        cast(objectid as integer) as incident_id,
        cast(incident_at as timestamp) as incident_at,
        cast(incident_at as date) as incident_date,
        cast("year" as integer) as published_year,
        trim(time_of_day) as time_of_day,
        trim(opioid_use) as opioid_use,
        -- 'Yes', 'No' or empty (NULL in the file: not recorded)
        trim(narcan_given) as narcan_given,
        coalesce(trim(narcan_given) = 'Yes', false) as is_naloxone_given,
        trim(age_group) as patient_age_group,
        trim(patient_sex) as patient_sex,
        trim(patient_homeless) as patient_homeless,
        trim(special_population) as special_population,
        cast(latitude_random as double) as latitude_random,
        cast(longitude_random as double) as longitude_random,
        nullif(nullif(trim(notes), ''), 'None') as notes,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

{{ attach_load_info('renamed') }}
