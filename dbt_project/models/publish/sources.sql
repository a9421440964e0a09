-- The source catalogue as published: who to credit, under which terms, where to find it.
select source_id, publisher, title, citation, licence, url
from {{ ref('dim_source') }}
