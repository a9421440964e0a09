"""The Data quality view for people (issue 11, problem 10b): per source a status badge in colour AND
word, last period covered, last load as a date in words, rows; rejected files with their reasons in
words (file name, row, column); warnings; run ids, load ids and sha256 only on hover; no snake_case
column names as headers; both languages."""
from __future__ import annotations

import json
import re

import pytest

from tests.app.support import visible_text, warehouse_copy
from tests.app.test_callbacks import render_page


@pytest.fixture(scope="module")
def rejected_warehouse(app_warehouse, tmp_path_factory):
    """The test warehouse with one source whose newest file was rejected (a row that is not a number)."""
    return warehouse_copy(app_warehouse, tmp_path_factory, "rejected", [
        """create or replace table publish.load_status_copy as
                       select * replace (
                           case when source_id = 'scotland_nrs' then 'rejected' else status end as status,
                           case when source_id = 'scotland_nrs' then 'red' else file_status end as file_status,
                           case when source_id = 'scotland_nrs' then 'red' else source_status end as source_status,
                           case when source_id = 'scotland_nrs' then 'rejected_previous_vintage_published'
                                else publication_status end as publication_status)
                       from publish.load_status""",
        "drop view publish.load_status",
        "alter table publish.load_status_copy rename to load_status",
        "drop view publish.rejections",
        """create table publish.rejections as select
                         timestamp '2026-12-02 10:00:00' as recorded_at, 'scotland_nrs' as source_id,
                         'scotland_nrs/scotland_nrs_drug_related_deaths_trend_1996_2021.csv' as source_file,
                         7 as source_row, 'deaths' as source_column, 'n/a' as value, 'numeric_value' as check_name,
                         'the value is not a number' as reason, '20261202T100000-scotland_nrs-abc' as load_id""",
    ])


def _headers(node) -> list[str]:
    out = []
    if isinstance(node, list):
        for n in node:
            out += _headers(n)
    elif isinstance(node, dict):
        if node.get("type") == "Th":
            out.append(visible_text(node))
        out += _headers(node.get("props", {}).get("children"))
    return out


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_quality_view_reads_as_words_with_ids_on_hover(client, monkeypatch, rejected_warehouse, lang):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(rejected_warehouse))
    text = render_page(client, "/quality", f"?lang={lang}")
    layout = json.loads(text)
    visible = visible_text(layout)
    red, green = ("red", "green") if lang == "en" else ("rød", "grønn")
    assert re.search(rf"\b{red}\s+National Records of Scotland", visible), visible[:1500]
    assert green in visible
    # last period covered and last load as dates in words, rows
    if lang == "en":
        assert "data up to 31 Dec 2021" in visible and re.search(r"loaded \d{1,2} [A-Z][a-z]{2} \d{4}", visible)
        assert "26 rows" in visible
        assert "the newest file was rejected; its last good vintage is published" in visible
    else:
        assert "data til 31. des. 2021" in visible and re.search(r"lastet \d{1,2}\. [a-zæøå]{3}\.? \d{4}", visible)
        assert "26 rader" in visible
        assert "den nyeste filen ble avvist" in visible
    # the rejection: its reason in the page language (nb from the rule's template: the stored reason
    # is English), file name, row and column in words
    if lang == "en":
        assert "the value is not a number" in visible
    else:
        assert "Filen bryter regelen numeric_value" in visible and "the value is not a number" not in visible
    assert "scotland_nrs_drug_related_deaths_trend_1996_2021.csv" in visible
    assert ("row 7, column deaths" if lang == "en" else "rad 7, kolonne deaths") in visible
    # warnings: what the check found, without its technical name in front
    if lang == "en":
        assert "The printed percentage should match the counts" in visible
    else:
        assert "1 rad bryter regelen (linje 3)" in visible
    assert "expect_column_values_to_be_between" not in visible
    # ids and hashes only on hover
    for needle in ("20261203T", "20261202T100000-scotland_nrs-abc", "load_id", "run_id", "sha256"):
        assert needle not in visible, needle
    assert "20261202T100000-scotland_nrs-abc" in text  # in a title attribute
    headers = _headers(layout)
    assert headers and not [h for h in headers if "_" in h or h != h.strip() or h.islower()], headers

