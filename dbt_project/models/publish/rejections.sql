-- Data-quality view: every rejected file or row with the reason, newest first in the app.
select
    rejections.recorded_at,
    rejections.source_id,
    rejections.source_file,
    rejections.source_row,
    rejections.source_column,
    rejections.value,
    rejections.check_name,
    rejections.reason,
    rejections.load_id
from {{ source('meta_quality', 'rejections') }} as rejections
