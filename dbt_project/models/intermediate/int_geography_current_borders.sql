-- Old municipality code -> today's code(s), from FHI's code history (current load of
-- raw.fhi_locations__municipalities). Chains are followed to the end: Sandefjord 0706 became
-- 0710 (2017), which became 3804 (2020), which became 3907 (2024): 0706 -> 3907. Weights multiply
-- along a chain: an edge without a weighting counts 1 (a rename or a merge: the whole old area
-- goes to the successor); a split has one edge per successor with FHI's `weighting` (Snillfjord
-- 5012 -> 5055/5056/5059 = 0.35/0.35/0.30), so 1613 -> 5012 -> 5055 weighs 1 * 0.35.
-- is_estimated: some step of the chain is a split (weight < 1), so a number re-expressed through
-- it is an estimate. Today's codes map to themselves (weight 1).
-- A split that re-creates municipalities of before a merger (seed geography_split_parts: 1507
-- Ålesund -> 1508 Ålesund + 1580 Haram, 1580 = the former 1534 Haram) is not a weighted share for
-- the predecessors: 1534 goes straight to 1580 and 1504/1523/1529/1546 to 1508, weight 1, not
-- estimated. Numbers filed under the merged code itself (1507, 2020-2023, and SSB's 2020-border
-- population for every year) still need an estimated share. The brief way would be the
-- predecessors' population on 1 January 2019 (their last year before the merger), but none is
-- bundled (the SSB series is in 2020 borders; FHI's 2024-border series re-splits 2005-2023 at
-- 0.5/0.5). The weight is therefore the parts' own counted population in their first year
-- (seed geography_split_part_population, 1 January 2024: 1508 58,509, 1580 9,357, so Haram
-- weighs 0.138), else FHI's weighting; weight_basis says which.
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

split_parts as (
    -- splits that re-create municipalities of before a merger (seed): which predecessor forms which part
    select split_code, part_code, predecessor_code from {{ ref('geography_split_parts') }}
),

split_weights as (
    -- a part's weight = its counted population / all parts' population (seed
    -- geography_split_part_population: 1 January 2024, the first year counted in the parts' own
    -- borders; the predecessors' population of 2019 is not bundled), only when every part has one
    select
        split_code,
        part_code,
        year as basis_year,
        cast(persons as double precision) / sum(persons) over (partition by split_code) as weight,
        count(*) over (partition by split_code) as n_parts_counted
    from {{ ref('geography_split_part_population') }}
),

edges as (
    select
        locations.municip_code as from_code,
        locations.year_start,
        -- a predecessor of a split goes straight to the part that re-creates it (1534 Haram ->
        -- 1580 Haram), not through the merged code's weights (which sent half the old town of
        -- Ålesund to Haram)
        coalesce(to_part.part_code, locations.successor_code) as to_code,
        case
            when to_part.part_code is not null then 1.0
            when split_weights.n_parts_counted = count(*) over (partition by locations.municip_code, locations.year_start)
                then split_weights.weight
            -- a split without weights would share equally; FHI gives weights for every split today
            else coalesce(
                locations.weighting,
                1.0 / count(*) over (partition by locations.municip_code, locations.year_start)
            )
        end as weight,
        to_part.part_code is null
            and count(*) over (partition by locations.municip_code, locations.year_start) > 1 as is_split,
        case
            when to_part.part_code is not null then 'predecessor of the part'
            when count(*) over (partition by locations.municip_code, locations.year_start) = 1 then null
            when split_weights.n_parts_counted = count(*) over (partition by locations.municip_code, locations.year_start)
                then {{ dbt.concat(["'population of the parts on 1 January '", 'cast(split_weights.basis_year as ' ~ dbt.type_string() ~ ')']) }}
            when locations.weighting is not null then 'FHI weighting'
            else 'equal shares'
        end as weight_basis
    from locations
    left join split_parts as to_part
        on locations.municip_code = to_part.predecessor_code
        and locations.successor_code = to_part.split_code
    left join split_weights
        on locations.municip_code = split_weights.split_code
        and locations.successor_code = split_weights.part_code
    where locations.successor_code is not null
),

chains (from_code, year_start, to_code, weight, is_estimated, n_steps, chain, weight_basis) as (
    select
        from_code,
        year_start,
        to_code,
        cast(weight as double precision),
        is_split,
        1,
        cast({{ dbt.concat(['from_code', "' > '", 'to_code']) }} as {{ dbt.type_string() }}),
        cast(weight_basis as {{ dbt.type_string() }})
    from edges
    union all
    select
        chains.from_code,
        chains.year_start,
        edges.to_code,
        chains.weight * edges.weight,
        chains.is_estimated or edges.is_split,
        chains.n_steps + 1,
        cast({{ dbt.concat(['chains.chain', "' > '", 'edges.to_code']) }} as {{ dbt.type_string() }}),
        cast(coalesce(edges.weight_basis, chains.weight_basis) as {{ dbt.type_string() }})
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
        min(chain) as chain,
        max(weight_basis) as weight_basis
    from terminal
    group by from_code, year_start, to_code
    union all
    select
        municip_code, year_start, municip_code,
        cast(1.0 as double precision),
        false,
        0,
        municip_code,
        cast(null as {{ dbt.type_string() }})
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
    cast(chain as {{ dbt.type_string() }}) as chain,
    cast(weight_basis as {{ dbt.type_string() }}) as weight_basis
from with_spans
