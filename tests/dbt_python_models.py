"""Import a dbt Python model file by path, as dbt itself loads it (the models are not a package),
so tests can call its functions and compare them with independent computations."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

MODELS = Path(__file__).resolve().parents[1] / "dbt_project" / "models"


def load_model(relative: str) -> ModuleType:
    """relative: the file under dbt_project/models, e.g. 'marts/mart_trend_stats.py'."""
    path = MODELS / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
