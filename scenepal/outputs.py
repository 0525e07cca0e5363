"""The output folder: every file rendered in memory, written under temporary names, then renamed.

A run that fails or is interrupted leaves the previous outputs as they were and no partial file:
a new folder appears whole (one rename), and files in an existing folder are each replaced by a
rename on the same file system.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from PIL import Image

from scenepal import frametimeline
from scenepal._entry import interrupts_held
from scenepal.errors import OutputError
from scenepal.export import analysis_to_json, scenes_csv
from scenepal.models import Analysis
from scenepal.render.barcode import barcode
from scenepal.render.plots import PLOTS
from scenepal.render.sheet import page_names, sheets
from scenepal.rendering import png_bytes
from scenepal.report import report_html
from scenepal.thumbs import THUMBS_FOLDER, thumb_name


def default_output_folder(video: str | os.PathLike[str]) -> Path:
    """``movie.scenepal`` next to ``movie.mp4``.

    >>> default_output_folder("films/movie.mp4").as_posix()
    'films/movie.scenepal'
    """
    p = Path(video)
    return p.with_name(p.stem + ".scenepal")


def check_output_folder(folder: str | os.PathLike[str]) -> Path:
    """Fail early, before any decoding, when ``folder`` could not be written.

    Raises:
        OutputError: the path is a file, or the nearest existing parent is not writable.
    """
    p = Path(folder)
    if p.exists() and not p.is_dir():
        raise OutputError(f"cannot write outputs to {p}: it is a file, not a folder")
    probe = p if p.exists() else p.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"cannot write outputs to {p}: {probe} is not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write outputs to {p}: no permission to write in {probe}")
    return p


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _drawing() -> Iterator[None]:
    """How the output folder's figures are drawn."""
    with warnings.catch_warnings():
        # A film name in a script the bundled font lacks (CJK, emoji) is drawn as boxes;
        # matplotlib's warning about each glyph is noise for the person running scenepal.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        # FreeType's hinting interpreter is most of the drawing time of a text-heavy sheet:
        # without it a 55-scene page draws in 0.53 s instead of 0.80 s, and at 150 dpi the
        # text looks the same.
        with mpl.rc_context({"text.hinting": "no_hinting"}):
            yield


def _figure_png(fig: Figure, version: str) -> bytes:
    buf = io.BytesIO()
    with _drawing():
        fig.savefig(buf, format="png", metadata={"Software": f"scenepal {version}"})
    return buf.getvalue()


def figures_pdf(figures: Sequence[Figure], version: str) -> bytes:
    """One PDF with a page per figure (vector text and swatches; pictures at the figures'
    resolution). The same figures give the same bytes: no creation date is written."""
    buf = io.BytesIO()
    metadata = {"Creator": f"scenepal {version}", "Producer": None, "CreationDate": None}
    with _drawing(), PdfPages(buf, metadata=metadata) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buf.getvalue()


def render_files(analysis: Analysis, *, report: bool = True) -> dict[str, bytes]:
    """Every output file's name and bytes (``report``: with report.html)."""
    version = analysis.scenepal_version
    files = {
        "analysis.json": analysis_to_json(analysis).encode("utf-8"),
        "scenes.csv": scenes_csv(analysis).encode("utf-8"),
        "barcode.png": png_bytes(Image.fromarray(barcode(analysis)), version),
    }
    if analysis.timeline is not None:
        files[frametimeline.TIMELINE_FILE] = frametimeline.to_bytes(analysis.timeline)
    pages = sheets(analysis)
    for name, fig in zip(page_names(len(pages)), pages, strict=True):
        files[name] = _figure_png(fig, version)
    files["palettes.pdf"] = figures_pdf(pages, version)
    files.update(stats_files(analysis, files, report=report))
    files.update(thumbnail_files(analysis))
    return files


def thumbnail_files(analysis: Analysis) -> dict[str, bytes]:
    """``thumbs/0001.jpg``, ...: each scene's representative frame, where it has one."""
    return {
        thumb_name(r.scene.index): r.representative.jpeg
        for r in analysis.scenes
        if r.representative is not None
    }


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write one file atomically: under a temporary name beside it, then renamed over it.

    Raises:
        OutputError: the file cannot be written (permission, missing folder, disk full).
    """
    target = Path(path)
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    return target


def write_outputs(
    analysis: Analysis,
    folder: str | os.PathLike[str],
    *,
    report: bool = True,
    extra: Mapping[str, bytes] | None = None,
) -> list[Path]:
    """Write every output of ``analysis`` into ``folder`` atomically; return the paths written.
    ``report`` writes report.html too; ``extra`` are more files (by name) written with them
    (the barcodes ``analyze --barcode`` asks for).

    Raises:
        OutputError: the folder cannot be written (permission, not a folder, disk full).
    """
    target = check_output_folder(folder)
    files = {**render_files(analysis, report=report), **(extra or {})}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())
    except OSError as exc:
        raise OutputError(f"cannot write outputs to {target}: {exc.strerror or exc}") from exc
    try:
        for name, data in files.items():
            (tmp / name).parent.mkdir(exist_ok=True)
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if not target.exists():
            os.replace(tmp, target)
        else:
            with interrupts_held():  # all the files replaced, or none: not a mix of two runs
                for name in files:
                    (target / name).parent.mkdir(exist_ok=True)
                    os.replace(tmp / name, target / name)
                stale_names = [
                    *target.glob("palettes-*.png"),
                    *target.glob(f"{THUMBS_FOLDER}/*.jpg"),
                    *(target / n for n in STATS_FILES),
                ]
                for stale in stale_names:
                    if stale.relative_to(target).as_posix() not in files and stale.is_file():
                        stale.unlink()
                if (tmp / THUMBS_FOLDER).is_dir():
                    (tmp / THUMBS_FOLDER).rmdir()
                tmp.rmdir()
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write outputs to {target}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [target / name for name in files]


# --- Statistics plots and report.html (issue 12) ---

STATS_FILES = ("timeline.png", "huewheel.png", "vectorscope.png", "report.html")
"""Files of the statistics: the plots (when the analysis has statistics) and the report."""


def stats_files(
    analysis: Analysis, images: Mapping[str, bytes], *, report: bool = True
) -> dict[str, bytes]:
    """The statistics plots (for an analysis with statistics) and, with ``report``, the report
    page, which inlines them and ``images["barcode.png"]`` when given."""
    version = analysis.scenepal_version
    files: dict[str, bytes] = {}
    if analysis.stats is not None:
        for name, draw in PLOTS.items():
            files[f"{name}.png"] = _figure_png(draw(analysis), version)
    if report:
        page = report_html(analysis, {**images, **files})
        files["report.html"] = page.encode("utf-8")
    return files


def report_page(analysis: Analysis) -> bytes:
    """report.html on its own: the barcode and plots it inlines are drawn for it."""
    images = {
        "barcode.png": png_bytes(Image.fromarray(barcode(analysis)), analysis.scenepal_version)
    }
    return stats_files(analysis, images, report=True)["report.html"]


def figure_png(fig: Figure, version: str) -> bytes:
    """A figure as PNG bytes, drawn as the output folder's pictures are."""
    return _figure_png(fig, version)
