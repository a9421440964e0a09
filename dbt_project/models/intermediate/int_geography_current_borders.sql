-- Old municipality code -> today's code(s), from FHI's code history (current load of
-- raw.fhi_locations__municipalities). Chains are followed to the end: Sandefjord 0706 became
-- 0710 (2017), which became 3804 (2020), which became 3907 (2024): 0706 -> 3907. Weights multiply
-- along a chain: an edge without a weighting counts 1 (a rename or a merge: the whole old area
-- goes to the successor); a split has one edge per successor with FHI's `weighting` (Snillfjord
-- 5012 -> 5055/5056/5059 = 0.35/0.35/0.30), so 1613 -> 5012 -> 5055 weighs 1 * 0.35.
-- is_estimated: some step of the chain is a split (weight < 1), so a number re-expressed through
-- it is an estimate. Today's codes map to themselves (weight 1).
-- Which rows of an observation use which span: lookup_from_year..lookup_to_year partition all
-- years per code (the first span reaches back, the last forward), because sources often publish
-- older years already in a later code's borders (SSB population in 2020 borders; the reports file
-- Bergen 2009 under 4601). FHI never reuses a code in the current history (one span per code), so
-- today every code has one span covering every year; a reused code would get one span each.
-- Grain: one row per from_code, span (valid_from_year) and to_code.
with recursive

locations as (
    select * from {{ ref('stg_fhi_locations__municipalities') }}
    where is_latest_load
),

spans as (
    -- one validity span per code (a split repeats the span once per successor)
    select
        municip_code,
        year_start,
        max(year_end) as year_end
    from locations
    group by municip_code, year_start
),

span_lookup as (
    select
        spans.*,
        row_number() over (partition by municip_code order by year_start) as span_no,
        lead(year_start) over (partition by municip_code order by year_start) as next_span_start
    from spans
),

edges as (
    select
        municip_code as from_code,
        year_start,
        successor_code as to_code,
        -- a split without weights would share equally; FHI gives weights for every split today
        coalesce(
            weighting,
            1.0 / count(*) over (partition by municip_code, year_start)
        ) as weight,
        count(*) over (partition by municip_code, year_start) > 1 as is_split
    from locations
    where successor_code is not null
),

chains (from_code, year_start, to_code, weight, is_estimated, n_steps, chain) as (
    select
        from_code,
        year_start,
        to_code,
        cast(weight as double precision),
        is_split,
        1,
        cast({{ dbt.concat(['from_code', "' > '", 'to_code']) }} as {{ dbt.type_string() }})
    from edges
    union all
    select
        chains.from_code,
        chains.year_start,
        edges.to_code,
        chains.weight * edges.weight,
        chains.is_estimated or edges.is_split,
        chains.n_steps + 1,
        cast({{ dbt.concat(['chains.chain', "' > '", 'edges.to_code']) }} as {{ dbt.type_string() }})
    from chains
    -- the successor's own outgoing edges (its span is the one that starts after the old code ends)
    inner join edges on chains.to_code = edges.from_code
    where chains.n_steps < 20
),

current_codes as (
    select municip_code, year_start
    from spans
    where year_end is null
),

terminal as (
    -- a chain ends at a code that is current today
    select chains.*
    from chains
    inner join current_codes on chains.to_code = current_codes.municip_code
),

mapped as (
    select
        from_code, year_start, to_code,
        cast(sum(weight) as double precision) as weight,
        bool_or(is_estimated) as is_estimated,
        max(n_steps) as n_steps,
        min(chain) as chain
    from terminal
    group by from_code, year_start, to_code
    union all
    select
        municip_code, year_start, municip_code,
        cast(1.0 as double precision),
        false,
        0,
        municip_code
    from current_codes
),

with_spans as (
    select
        mapped.*,
        span_lookup.year_end,
        span_lookup.span_no,
        span_lookup.next_span_start
    from mapped
    inner join span_lookup
        on mapped.from_code = span_lookup.municip_code and mapped.year_start = span_lookup.year_start
)

select
    cast(from_code as {{ dbt.type_string() }}) as from_code,
    cast(year_start as integer) as valid_from_year,
    cast(year_end as integer) as valid_to_year,
    cast(case when span_no = 1 then null else year_start end as integer) as lookup_from_year,
    cast(next_span_start - 1 as integer) as lookup_to_year,
    cast(to_code as {{ dbt.type_string() }}) as to_code,
    cast(weight as double precision) as weight,
    cast(is_estimated as boolean) as is_estimated,
    cast(n_steps as integer) as n_steps,
    cast(chain as {{ dbt.type_string() }}) as chain
from with_spans
