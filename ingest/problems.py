"""What ingest says when a file is wrong.

A data problem is not a bug: it is reported to the person who dropped the file, with enough
detail (file, line, column, value) to find and fix it, and never as a Python traceback.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    check: str                 # short machine name, e.g. "missing_column", "not_a_number"
    reason: str                # a sentence a person can act on (English, specific to this case)
    row: int | None = None     # line number in the file (header is line 1)
    column: str | None = None
    value: str | None = None
    # the reason in Norwegian when the check has its own sentence (an expectation's why_nb);
    # otherwise the Data quality view words the check code (dash_app/i18n.py dq.problem.<check>)
    reason_nb: str | None = None

    def describe(self, source_file: str) -> str:
        where = source_file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f" (value: {self.value!r})"
        return f"{where}: {self.reason}{shown} [rule: {self.check}]"


class FileRejected(Exception):
    """Raised by a parser or a check when a file cannot be loaded as a whole."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.reason for p in problems[:3]))
        self.problems = problems


class SpecError(Exception):
    """A source spec is itself wrong: whoever wrote it must fix it. Carries the spec file and the
    key path (`observations[1].period.year`) when they are known, so the message can name both."""

    def __init__(self, message: str, spec_path=None, key: str | None = None):
        super().__init__(message)
        self.spec_path = spec_path
        self.key = key
        self.source_id: str | None = None  # the id the spec gives itself, when it could be read
