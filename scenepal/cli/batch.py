"""`scenepal batch`, `scenepal status` and `scenepal corpus`: a film library analysed on a Dask
cluster into a corpus, its catalog read back, and the corpus's own outputs
(:mod:`scenepal.batch` does the work)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from scenepal._entry import EXIT_INTERRUPTED, sigterm_as_interrupt
from scenepal.batch.corpus import load_corpus, status_document, write_corpus_outputs
from scenepal.cli._app import (
    EXIT_PARTIAL,
    DebugOption,
    NoReportOption,
    app,
    err,
    errors,
    fail,
    output_option,
)
from scenepal.cli.settings import (
    DEFAULTS,
    ColorsOption,
    ColorSpaceOption,
    DetectorOption,
    HdrOption,
    MinSceneLenOption,
    PreviewOption,
    SeedOption,
    ThresholdOption,
    config_from,
)
from scenepal.errors import ClusterError
from scenepal.export import timecode

if TYPE_CHECKING:
    from scenepal.batch import BatchProgress, BatchReport, ClusterInfo

EXIT_UNAVAILABLE = 69

BATCH_EXIT_CODES = (
    "Exit codes: 0 every film done, 3 some films failed (listed), 2 usage error, 66 the folder "
    "does not exist, 69 the Dask scheduler cannot be reached, 73 the corpus cannot be written, "
    "130 interrupted (films in flight are pending again: run the same command to go on), "
    "1 unexpected error."
)


def _time_left(seconds: float | None) -> str:
    """``about 0:12:30 left``, or a word while there is no estimate yet.

    >>> _time_left(None), _time_left(750.0)
    ('estimating time left', 'about 00:12:30 left')
    """
    return "estimating time left" if seconds is None else f"about {timecode(seconds)[:8]} left"


def run_batch(*args: Any, **kwargs: Any) -> BatchReport:
    """:func:`scenepal.batch.run_batch`, imported when a batch runs: Dask stays out of the
    start-up of every other command."""
    from scenepal.batch.runner import run_batch as run

    return run(*args, **kwargs)


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[BatchProgress], None] | None]:
    """Films done of all, frames per second across the cluster and time left, on stderr."""
    if not show or not err.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]films"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed, {task.fields[running]} running"),
        TextColumn("{task.fields[fps]:.0f} fps", style="progress.data.speed"),
        TextColumn("{task.fields[left]}"),
        console=err,
        transient=True,
    )
    with bar:
        task = bar.add_task("films", total=None, failed=0, running=0, fps=0.0, left="")

        def update(p: BatchProgress) -> None:
            bar.update(
                task,
                total=p.total,
                completed=p.done + p.failed,
                failed=p.failed,
                running=p.running,
                fps=p.frames_per_s,
                left=_time_left(p.seconds_left),
            )

        yield update


def _announce(quiet: bool) -> Callable[[ClusterInfo], None]:
    def announce(info: ClusterInfo) -> None:
        if quiet:
            return
        where = "local Dask cluster" if info.local else f"Dask cluster at {info.scheduler}"
        err.print(
            f"{where}: {info.workers} workers, {info.threads} films at a time; "
            f"dashboard {info.dashboard or 'not available'}",
            markup=False,
        )

    return announce


def _summary(report: BatchReport) -> None:
    fps = report.frames / report.elapsed_s if report.elapsed_s > 0 else 0.0
    err.print(
        f"{report.total} films: {report.analysed} analysed, {report.skipped} already done, "
        f"{len(report.failures)} failed, in {report.elapsed_s:.1f} s "
        f"({report.frames} frames, {fps:.0f} fps)",
        markup=False,
    )


@app.command(epilog=BATCH_EXIT_CODES)
def batch(
    folder: Annotated[Path, typer.Argument(help="The film library: every video under it.")],
    output: Annotated[
        Path,
        output_option(
            "The corpus folder: each film's outputs in <its path>.scenepal/, and the catalog "
            "catalog.sqlite."
        ),
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a running Dask scheduler (tcp://host:8786); default: a local "
            "cluster on this machine. The films and the corpus must be at the same paths on "
            "every worker."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes of the local cluster (default: one per CPU)."),
    ] = None,
    threads_per_film: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Decoder threads per film (default: each machine's CPUs shared out among the "
            "films it runs at once).",
        ),
    ] = None,
    dashboard: Annotated[
        str, typer.Option(help="Where the local cluster's dashboard listens (:0 for any port).")
    ] = ":8787",
    colors: ColorsOption = DEFAULTS.colors,
    detector: DetectorOption = DEFAULTS.detector,
    threshold: ThresholdOption = None,
    min_scene_len: MinSceneLenOption = DEFAULTS.min_scene_len,
    seed: SeedOption = DEFAULTS.seed,
    color_space: ColorSpaceOption = DEFAULTS.color_space,
    hdr: HdrOption = DEFAULTS.hdr,
    preview: PreviewOption = False,
    no_report: NoReportOption = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the catalog's summary (as status --json).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress, no cluster line, no summary.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Analyse every film under FOLDER into a corpus, one Dask task per film.

    Films done before with the same settings are skipped; failed ones are tried again. Two
    batches on one folder share the work and never analyse a film twice.
    \f
    (Long only by its option declarations; the work is in scenepal.batch.run_batch.)
    """
    with errors(debug), sigterm_as_interrupt():
        config = config_from(locals())
        try:
            with _progress(not quiet) as on_progress:
                report = run_batch(
                    folder,
                    output,
                    config=config,
                    scheduler=scheduler,
                    workers=workers,
                    threads_per_film=threads_per_film,
                    report=not no_report,
                    dashboard_address=dashboard,
                    on_cluster=_announce(quiet),
                    on_progress=on_progress,
                )
        except ClusterError as exc:
            fail(str(exc), EXIT_UNAVAILABLE)
        except KeyboardInterrupt:
            fail(
                "interrupted; the films in flight are pending again (run the same command to "
                "go on)",
                EXIT_INTERRUPTED,
            )
        if not quiet:
            _summary(report)
        for failure in report.failures:
            err.print(f"scenepal: failed: {failure.key}: {failure.error}", markup=False)
        if json_out:
            _print_json(status_document(output))
        if report.failures:
            raise typer.Exit(EXIT_PARTIAL)


def _print_json(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@app.command(epilog="Exit codes: 0 success, 66 no catalog in CORPUS, 1 unexpected error.")
def status(
    corpus: Annotated[Path, typer.Argument(help="A corpus folder written by scenepal batch.")],
    json_out: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print {"films": [{path, status, error, seconds, output}], "counts": {...}}.',
        ),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Show each film of a corpus: done, running, failed or pending, with reasons and timings."""
    with errors(debug):
        doc = status_document(corpus)
        if json_out:
            _print_json(doc)
            return
        for film in doc["films"]:
            seconds = "" if film["seconds"] is None else f"{film['seconds']:.1f} s"
            reason = f": {film['error']}" if film["error"] else ""
            typer.echo(f"{film['status']:<8} {seconds:>10}  {film['path']}{reason}")
        counts = doc["counts"]
        typer.echo(
            f"{len(doc['films'])} films: "
            + ", ".join(
                f"{counts[name]} {name}" for name in ("done", "running", "failed", "pending")
            )
        )


@app.command(epilog="Exit codes: 0 success, 66 no catalog or no film done, 73 cannot write.")
def corpus(
    corpus: Annotated[Path, typer.Argument(help="A corpus folder written by scenepal batch.")],
    debug: DebugOption = False,
) -> None:
    """Write the corpus's own outputs: corpus-barcodes.png (every film's barcode on one sheet)
    and corpus.csv (each film's facts, palette and colour statistics)."""
    with errors(debug):
        loaded = load_corpus(corpus)
        for key, reason in loaded.unreadable:
            err.print(f"scenepal: warning: {key} left out: {reason}", markup=False)
        if loaded.not_done:
            err.print(
                f"scenepal: warning: {loaded.not_done} films not done are left out "
                "(scenepal status lists them)",
                markup=False,
            )
        written = write_corpus_outputs(corpus, loaded)
        err.print(f"wrote {', '.join(str(p) for p in written)}", markup=False)
