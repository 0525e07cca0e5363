"""Batch analysis of a film library on Dask distributed: ``scenepal batch``, ``status`` and
``corpus`` are built on this package.

    films.find_films ─► Film ─► catalog.Catalog.claim ─► task.analyse_film (a Dask task per
    film: scenepal.analyze + scenepal.outputs.write_outputs) ─► FilmOutcome ─► the catalog
    corpus.corpus_rows / render.corpus: the corpus's CSV and barcode sheet, from the catalog

Modules: :mod:`~scenepal.batch.films` (which files, their identity, where outputs go),
:mod:`~scenepal.batch.catalog` (the SQLite catalog and its leases),
:mod:`~scenepal.batch.cluster` (a local Dask cluster or a running one),
:mod:`~scenepal.batch.task` (what a worker runs), :mod:`~scenepal.batch.runner` (the
coordinating loop), :mod:`~scenepal.batch.corpus` (per-film facts of a corpus).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scenepal.batch.catalog import STATUSES, Catalog, FilmRecord
from scenepal.batch.films import Film, find_films

if TYPE_CHECKING:
    from scenepal.batch.cluster import ClusterInfo
    from scenepal.batch.runner import BatchProgress, BatchReport, FilmFailure, run_batch

# Dask (about 0.2 s to import) is loaded only when something of the cluster or the runner is
# used, not by every ``scenepal`` command that imports the CLI or the corpus's catalog.
_LAZY = {
    "ClusterInfo": "scenepal.batch.cluster",
    "BatchProgress": "scenepal.batch.runner",
    "BatchReport": "scenepal.batch.runner",
    "FilmFailure": "scenepal.batch.runner",
    "run_batch": "scenepal.batch.runner",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "STATUSES",
    "BatchProgress",
    "BatchReport",
    "Catalog",
    "ClusterInfo",
    "Film",
    "FilmFailure",
    "FilmRecord",
    "find_films",
    "run_batch",
]
