-- Published as publish.events (alias: the model name `events` is taken by the seed).
{{ config(alias='events') }}
-- Events to annotate on charts (seed events): the injection room opening, the covid shutdown,
-- the 2020 municipal reform. What the Dash app reads for annotations.
select
    cast(event_date as date) as event_date,
    cast(event_id as varchar) as event_id,
    cast(label_nb as varchar) as label_nb,
    cast(label_en as varchar) as label_en,
    cast(geo_code as varchar) as geo_code
from {{ ref('events') }}
