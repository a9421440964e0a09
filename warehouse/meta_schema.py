"""The schemas and bookkeeping tables every build database has.

`meta` records what happened to every file and every check, so a person can tell why a number is
(or is not) in the warehouse. dbt reads `meta.sources` and `meta.load_log`; the Dash app's data
quality view and `make check` read the rest.
"""
from __future__ import annotations

import duckdb

SCHEMAS = ("raw", "meta", "staging", "intermediate", "marts", "publish", "catalogue")

META_DDL = """
create table if not exists meta.sources (
    source_id     varchar primary key,
    publisher     varchar not null,
    title         varchar not null,
    citation      varchar not null,
    licence       varchar not null,
    url           varchar,
    format        varchar not null,
    file_pattern  varchar not null,
    target_table  varchar not null,
    description   varchar,
    short_label   varchar
);
create table if not exists meta.declared_indicators (
    indicator_id   varchar primary key,
    name_nb        varchar not null,
    name_en        varchar not null,
    unit           varchar not null,
    definition_en  varchar,
    source_id      varchar not null,
    suppress_below integer
);
create table if not exists meta.declared_geographies (
    geo_code        varchar primary key,
    geo_level       varchar not null,
    name_nb         varchar not null,
    name_en         varchar not null,
    parent_code     varchar,
    valid_from_year integer,
    valid_to_year   integer,
    source_id       varchar not null
);
create table if not exists meta.declared_substances (
    substance_id    varchar primary key,
    parent_id       varchar,
    substance_group varchar,
    name_nb         varchar not null,
    name_en         varchar not null,
    source_id       varchar not null
);
create table if not exists meta.load_log (
    load_id       varchar not null,
    run_id        varchar not null,
    source_id     varchar,
    source_file   varchar not null,
    sha256        varchar not null,
    status        varchar not null,   -- loaded / unchanged / rejected / removed (file gone from data/raw)
    rows_loaded   bigint not null,
    started_at    timestamp not null,
    finished_at   timestamp not null,
    message       varchar,
    -- the fingerprint of the spec the load was read with (ingest/loader.py spec_fingerprint): a file
    -- whose bytes are unchanged but whose spec changed is loaded again as a new vintage
    spec_sha256   varchar
);
create table if not exists meta.file_registry (
    source_file   varchar not null,
    source_id     varchar,
    sha256        varchar not null,
    size_bytes    bigint not null,
    first_seen    timestamp not null,
    last_seen     timestamp not null,
    status        varchar not null,   -- loaded / rejected / removed
    last_load_id  varchar not null,
    primary key (source_file, sha256)
);
create table if not exists meta.rejections (
    load_id       varchar not null,
    source_id     varchar,
    source_file   varchar not null,
    source_row    integer,
    source_column varchar,
    value         varchar,
    check_name    varchar not null,
    reason        varchar not null,   -- English, the specific sentence of the check
    recorded_at   timestamp not null,
    -- Norwegian, when the check has its own (an expectation's why_nb); null otherwise, and the
    -- app then words the check code (dq.problem.<check_name>)
    reason_nb     varchar
);
-- Rows of active loads that no longer count because another active file of the same source
-- repeats their key and wins by the spec's `supersedes:` rule. Recomputed by ingest whenever the
-- source's active files or its rule change; staging (macro attach_load_info) leaves them out.
create table if not exists meta.superseded_rows (
    source_id             varchar not null,
    load_id               varchar not null,   -- the load whose row is overridden
    source_file           varchar not null,
    source_row            integer not null,
    source_column         integer,            -- the cell of a wide file; null: the whole line
    key_values            varchar not null,   -- the repeated key, for a person
    superseded_by_load_id varchar not null,
    superseded_by_file    varchar not null,
    superseded_by_row     integer not null,
    rule                  varchar not null,   -- by_file_name / by_load_order
    computed_at           timestamp not null
);
-- What meta.superseded_rows of a source was computed from (rule and active load_ids), so that it
-- is recomputed only when that changes.
create table if not exists meta.supersede_state (
    source_id     varchar primary key,
    rule          varchar not null,
    signature     varchar not null,
    computed_at   timestamp not null
);
create table if not exists meta.quality_results (
    run_id        varchar not null,
    load_id       varchar,
    layer         varchar not null,   -- ingest / dbt / marts
    check_name    varchar not null,
    target        varchar,
    severity      varchar not null,   -- error / warning
    status        varchar not null,   -- pass / fail / warn / skipped
    failures      bigint,
    details       varchar,            -- the rule in English, for a person
    recorded_at   timestamp not null
);
-- Beside each result of meta.quality_results: the rule in Norwegian, and the lines and values the
-- check found, kept apart from the words so the Data quality view writes the sentence ("1 row
-- breaks the rule (line 3)") in the page's language. A table of its own rather than more columns
-- of meta.quality_results, whose ten columns readers take positionally (`select *` in a union,
-- `insert ... values`). Joined on the result's run, load, layer, check, target and English details
-- (two rules of one check type on one column differ by their sentence: a unit test keeps it so).
create table if not exists meta.quality_notes (
    run_id        varchar not null,
    load_id       varchar,
    layer         varchar not null,
    check_name    varchar not null,
    target        varchar,
    details       varchar,
    details_nb    varchar,
    source_rows   integer[],
    sample_values varchar[]
);
"""


def ensure_meta(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    con.execute(META_DDL)
    # warehouses built before a column existed get it added, so an old build file keeps working
    con.execute("alter table meta.sources add column if not exists short_label varchar")
    # appended last, like in the DDL above, so positional inserts fit old and new files alike; null
    # for a load made before spec fingerprints were kept (ingest/loader.py then takes today's spec)
    con.execute("alter table meta.load_log add column if not exists spec_sha256 varchar")
    # the check notes in both languages (issue 11: the Data quality view speaks the page's language)
    # (an older file gets meta.quality_notes from the DDL above, and this column appended)
    con.execute("alter table meta.rejections add column if not exists reason_nb varchar")


def record_check(con: duckdb.DuckDBPyConnection, run_id: str, load_id: str | None, layer: str, check_name: str,
                 target: str | None, severity: str, status: str, failures, details: str | None, recorded_at,
                 details_nb: str | None = None, source_rows=(), sample_values=()) -> None:
    """One check result (meta.quality_results) with its Norwegian note, lines and values
    (meta.quality_notes): the one writer for ingest and the build."""
    con.execute("insert into meta.quality_results (run_id, load_id, layer, check_name, target, severity, status, "
                "failures, details, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, load_id, layer, check_name, target, severity, status, failures, details, recorded_at])
    if details_nb or source_rows or sample_values:
        con.execute("insert into meta.quality_notes values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, load_id, layer, check_name, target, details, details_nb or None,
                     [int(r) for r in source_rows] or None, [str(v) for v in sample_values] or None])
