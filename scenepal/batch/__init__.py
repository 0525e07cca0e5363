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

from scenepal.batch.catalog import STATUSES, Catalog, FilmRecord
from scenepal.batch.cluster import ClusterInfo
from scenepal.batch.films import Film, find_films
from scenepal.batch.runner import BatchProgress, BatchReport, FilmFailure, run_batch

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
