-- Published as publish.indicators (alias: the seed owns the name indicators).
{{ config(alias='indicators') }}
-- The indicator catalogue for metadata headers: names, unit, definition, the small-number rule
-- (macros/suppression.sql) and whom to credit (source citation and licence from dim_source).
with

indicators as (
    select * from {{ ref('dim_indicator') }}
),

rules as (
    {{ indicator_suppression_rules() }}
),

rule_catalogue as (
    {{ suppression_rule_catalogue() }}
),

sources as (
    select source_id, source_label, citation, licence, url from {{ ref('dim_source') }}
)

select
    indicators.indicator_id,
    indicators.name_nb,
    indicators.name_en,
    indicators.unit,
    indicators.definition_en,
    indicators.source_id,
    indicators.suppress_below,
    rules.suppression_rule,
    -- added after the contract's columns
    rule_catalogue.rule_description as suppression_rule_description,
    sources.source_label,
    sources.citation,
    sources.licence,
    sources.url as source_url
from indicators
left join rules on indicators.indicator_id = rules.indicator_id
left join rule_catalogue on rules.suppression_rule = rule_catalogue.suppression_rule
left join sources on indicators.source_id = sources.source_id
