"""``scenepal.render(...)``: barcodes of any mode, size and format from an analysis alone.

    render(analysis or analysis.json, modes, size | print size + dpi, formats, poster, ...)
        -> {"barcode-MODE.EXT": bytes, ...}

The film is never opened: everything comes from analysis.json and the frame timeline beside it.
A request is checked whole before anything is drawn (:func:`picture_request`): an unknown mode
or format, a malformed size or an option the mode does not take is a :class:`ConfigError`.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure
from PIL import Image, PngImagePlugin

from scenepal.errors import ConfigError, OutputError
from scenepal.export import load_analysis
from scenepal.models import Analysis
from scenepal.render.barcode import DEFAULT_INNER, columns_for, draw
from scenepal.render.barcodes import BarcodeMode, BarcodeOptions, check_options, get_mode
from scenepal.render.poster import (
    RING_PAGE_CM,
    STRIP_PAGE_CM,
    PosterText,
    default_title,
    poster_figure,
)
from scenepal.render.vector import Drawing, ring_drawing, strip_drawing
from scenepal.render.vector_pdf import POINTS_PER_INCH, pdf_document
from scenepal.render.vector_svg import svg_document

FORMATS = ("png", "svg", "pdf")
"""Picture formats: PNG pixels, SVG and PDF vector shapes."""

DEFAULT_DPI = 300
"""Dots per inch of a print size, and of the physical size given to SVG and PDF files."""

MAX_PIXELS = 400_000_000
"""The largest picture drawn (20,000 x 20,000 pixels)."""

CM_PER_INCH = 2.54


@dataclass(frozen=True)
class PrintSize:
    """A printed size: ``width`` x ``height`` in ``unit`` ("cm" or "in")."""

    width: float
    height: float
    unit: str

    @property
    def inches(self) -> tuple[float, float]:
        """(width, height) in inches."""
        scale = 1 / CM_PER_INCH if self.unit == "cm" else 1.0
        return self.width * scale, self.height * scale

    def label(self) -> tuple[str, str]:
        """Width and height with their unit, for an SVG document."""
        return f"{self.width:g}{self.unit}", f"{self.height:g}{self.unit}"


@dataclass(frozen=True)
class PictureRequest:
    """What to draw: every mode in every format, at one size.

    Attributes:
        modes: barcode mode names, in order.
        formats: file formats (:data:`FORMATS`).
        size: (width, height) in pixels, or None for each mode's default (or the print size
            at ``dpi``).
        print_size: the printed size, or None.
        dpi: dots per inch for a print size, and the physical size of SVG and PDF files.
        poster: draw the poster layout around each barcode (title, year, palette, time axis).
        title: the poster's title (default: the film's file name).
        year: the poster's year, or None.
        options: the modes' own options (``--smooth``, ``--inner``).
    """

    modes: tuple[str, ...] = ("scenes",)
    formats: tuple[str, ...] = ("png",)
    size: tuple[int, int] | None = None
    print_size: PrintSize | None = None
    dpi: int = DEFAULT_DPI
    poster: bool = False
    title: str | None = None
    year: int | None = None
    options: BarcodeOptions = field(default_factory=BarcodeOptions)

    def pixels(self, mode: BarcodeMode) -> tuple[int, int]:
        """The picture's size in pixels for ``mode``."""
        if self.size is not None:
            return self.size
        if self.print_size is not None:
            w, h = self.print_size.inches
            return max(1, round(w * self.dpi)), max(1, round(h * self.dpi))
        return mode.default_size

    def page_points(self, pixels: tuple[int, int]) -> tuple[float, float]:
        """The physical size in PDF points: the print size, or the pixels at ``dpi``."""
        if self.print_size is not None:
            w, h = self.print_size.inches
        else:
            w, h = pixels[0] / self.dpi, pixels[1] / self.dpi
        return w * POINTS_PER_INCH, h * POINTS_PER_INCH


def parse_size(text: str) -> tuple[int, int]:
    """``"2400x800"`` -> (2400, 800).

    >>> parse_size("2400x800")
    (2400, 800)

    Raises:
        ConfigError: not WIDTHxHEIGHT in whole pixels, or too large.
    """
    match = re.fullmatch(r"\s*([0-9]+)\s*[xX×]\s*([0-9]+)\s*", text)
    if match is None or int(match[1]) < 1 or int(match[2]) < 1:
        raise ConfigError(f"--size must be WIDTHxHEIGHT in pixels (like 2400x800), got {text!r}")
    size = int(match[1]), int(match[2])
    _check_pixels(size)
    return size


def parse_print(text: str) -> PrintSize:
    """``"40x10cm"`` or ``"16x4in"`` -> a :class:`PrintSize`.

    >>> parse_print("40x10cm")
    PrintSize(width=40.0, height=10.0, unit='cm')

    Raises:
        ConfigError: not WIDTHxHEIGHT followed by cm or in.
    """
    number = r"([0-9]+(?:\.[0-9]+)?)"
    match = re.fullmatch(rf"\s*{number}\s*[xX×]\s*{number}\s*(cm|in)\s*", text)
    if match is None or float(match[1]) <= 0 or float(match[2]) <= 0:
        raise ConfigError(
            f"--print must be WIDTHxHEIGHT with cm or in (like 40x10cm or 16x4in), got {text!r}"
        )
    return PrintSize(float(match[1]), float(match[2]), match[3])


def _check_pixels(size: tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise ConfigError(
            f"a picture of {size[0]} x {size[1]} pixels is too large (at most {MAX_PIXELS:,})"
        )


def picture_request(
    modes: Sequence[str] | str = ("scenes",),
    *,
    size: tuple[int, int] | str | None = None,
    print_size: PrintSize | str | None = None,
    dpi: int | None = None,
    formats: Sequence[str] | str = ("png",),
    poster: bool = False,
    title: str | None = None,
    year: int | None = None,
    smooth: int | None = None,
    inner: float | None = None,
) -> PictureRequest:
    """A checked :class:`PictureRequest` (the arguments of :func:`render`).

    Raises:
        ConfigError: a mode, format or size is unknown or malformed, an option does not apply
            to a mode asked for, or both a pixel and a print size are given.
    """
    names = _split(modes, "--barcode")
    kinds = _split(formats, "--format")
    for kind in kinds:
        if kind not in FORMATS:
            raise ConfigError(f"unknown format {kind!r}; choose from {', '.join(FORMATS)}")
    options = BarcodeOptions(smooth=smooth, inner=inner)
    for name in names:
        check_options(get_mode(name), options)
    if size is not None and print_size is not None:
        raise ConfigError("give --size or --print, not both")
    if dpi is not None and not 10 <= dpi <= 2400:
        raise ConfigError(f"--dpi must be from 10 to 2400, got {dpi}")
    if year is not None and not 1800 <= year <= 3000:
        raise ConfigError(f"--year must be a year like 1968, got {year}")
    if (title is not None or year is not None) and not poster:
        raise ConfigError("--title and --year are for the poster layout (--poster)")
    pixels = parse_size(size) if isinstance(size, str) else size
    if pixels is not None:
        if pixels[0] < 1 or pixels[1] < 1:
            raise ConfigError(f"--size must be positive, got {pixels[0]}x{pixels[1]}")
        _check_pixels(pixels)
    printed = parse_print(print_size) if isinstance(print_size, str) else print_size
    request = PictureRequest(
        modes=names,
        formats=kinds,
        size=pixels,
        print_size=printed,
        dpi=DEFAULT_DPI if dpi is None else dpi,
        poster=poster,
        title=title,
        year=year,
        options=options,
    )
    for name in names:
        _check_pixels(request.pixels(get_mode(name)))
    return request


def _split(value: Sequence[str] | str, flag: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value)
    names = tuple(part.strip() for item in items for part in item.split(",") if part.strip())
    if not names:
        raise ConfigError(f"{flag} needs at least one name")
    return tuple(dict.fromkeys(names))


def file_name(mode: str, kind: str, *, poster: bool = False) -> str:
    """``barcode-MODE.EXT`` (``poster-MODE.EXT`` for a poster).

    >>> file_name("circular-frames", "svg")
    'barcode-circular-frames.svg'
    """
    return f"{'poster' if poster else 'barcode'}-{mode}.{kind}"


def png_bytes(pixels: Image.Image, version: str) -> bytes:
    """A picture as PNG bytes, tagged with scenepal's version."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"scenepal {version}")
    buf = io.BytesIO()
    pixels.save(buf, format="PNG", pnginfo=info, optimize=False)
    return buf.getvalue()


def vector_drawing(
    analysis: Analysis, mode: BarcodeMode, size: tuple[int, int], options: BarcodeOptions
) -> Drawing:
    """The mode's barcode as vector shapes at ``size`` (in pixel units)."""
    bands = mode.bands(analysis, columns_for(mode, size), options)
    if mode.shape == "ring":
        inner = DEFAULT_INNER if options.inner is None else options.inner
        return ring_drawing(bands, size, inner=inner)
    return strip_drawing(bands, size)


def poster_page(mode: BarcodeMode, request: PictureRequest) -> tuple[float, float]:
    """A poster's page in inches: the print size, a pixel size at the dpi, or the default
    page of the mode's shape (60 x 30 cm for a strip, 50 x 70 cm for a ring)."""
    if request.print_size is not None:
        return request.print_size.inches
    if request.size is not None:
        return request.size[0] / request.dpi, request.size[1] / request.dpi
    cm = RING_PAGE_CM if mode.shape == "ring" else STRIP_PAGE_CM
    return cm[0] / CM_PER_INCH, cm[1] / CM_PER_INCH


def poster_files(
    analysis: Analysis, mode: BarcodeMode, request: PictureRequest
) -> dict[str, bytes]:
    """The poster of one mode in every format asked for: ``poster-MODE.EXT``."""
    text = PosterText(request.title or default_title(analysis), request.year)
    page = poster_page(mode, request)
    _check_pixels((round(page[0] * request.dpi), round(page[1] * request.dpi)))
    files = {}
    for kind in request.formats:
        figure = poster_figure(
            analysis,
            mode,
            page_in=page,
            dpi=request.dpi,
            text=text,
            options=request.options,
            vector=kind != "png",
            drawing_for=lambda size: vector_drawing(analysis, mode, size, request.options),
        )
        files[file_name(mode.name, kind, poster=True)] = figure_bytes(
            figure, kind, analysis.scenepal_version, title=text.title
        )
    return files


def figure_bytes(figure: Figure, kind: str, version: str, *, title: str) -> bytes:
    """A poster figure as PNG, SVG (text as text) or PDF (fonts embedded as TrueType)."""
    if kind == "png":
        buf = io.BytesIO()
        with mpl.rc_context({"text.hinting": "no_hinting"}):
            figure.savefig(buf, format="png", metadata={"Software": f"scenepal {version}"})
        return buf.getvalue()
    metadata = (
        {"Creator": f"scenepal {version}", "Title": title, "Date": None}
        if kind == "svg"
        else {"Creator": f"scenepal {version}", "Title": title, "CreationDate": None}
    )
    buf = io.BytesIO()
    with (
        warnings.catch_warnings(),
        mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "scenepal", "pdf.fonttype": 42}),
    ):
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buf, format=kind, metadata=metadata)
    return buf.getvalue()


def barcode_files(analysis: Analysis, request: PictureRequest) -> dict[str, bytes]:
    """Every file the request asks for, by name."""
    files: dict[str, bytes] = {}
    for name in request.modes:
        mode = get_mode(name)
        if request.poster:
            files.update(poster_files(analysis, mode, request))
            continue
        size = request.pixels(mode)
        title = f"{Path(analysis.video.path).name} · {mode.name} barcode"
        for kind in request.formats:
            if kind == "png":
                pixels = draw(analysis, mode, size, request.options)
                data = png_bytes(Image.fromarray(pixels), analysis.scenepal_version)
            elif kind == "svg":
                physical = request.print_size.label() if request.print_size else None
                drawing = vector_drawing(analysis, mode, size, request.options)
                data = svg_document(drawing, physical=physical, title=title)
            else:
                drawing = vector_drawing(analysis, mode, size, request.options)
                data = pdf_document(drawing, request.page_points(size), title=title)
            files[file_name(name, kind)] = data
    return files


def render(
    analysis: Analysis | str | os.PathLike[str],
    modes: Sequence[str] | str = ("scenes",),
    *,
    size: tuple[int, int] | str | None = None,
    print_size: PrintSize | str | None = None,
    dpi: int | None = None,
    formats: Sequence[str] | str = ("png",),
    poster: bool = False,
    title: str | None = None,
    year: int | None = None,
    smooth: int | None = None,
    inner: float | None = None,
    output: str | os.PathLike[str] | None = None,
) -> dict[str, bytes]:
    """Barcodes of an analysis, without the film: ``{"barcode-MODE.EXT": bytes}``.

    Args:
        analysis: an :class:`Analysis`, or an analysis.json (or its folder), read with its
            frame timeline.
        modes: barcode modes (``scenepal.render.barcodes.MODES``), a list or "a,b".
        size: (width, height) or "WxH" in pixels; default: each mode's own.
        print_size: "WxHcm" or "WxHin" (a :class:`PrintSize`), drawn at ``dpi``.
        dpi: dots per inch of a print size (default 300); also sets the physical size of SVG
            and PDF files drawn at a pixel size.
        formats: "png", "svg", "pdf", a list or "png,svg".
        poster: the print layout around each barcode: title, year, film palette, time axis.
        title: the poster's title (default: the film's file name, without extension).
        year: the poster's year.
        smooth: frames modes: average each column with its neighbours over this many columns.
        inner: ring modes: the hole's radius as a share of the outer radius (default 0.5).
        output: a folder to write the files into as well (created if missing).

    Raises:
        ConfigError: a mode, format, size or option is unknown, malformed or does not apply.
        AnalysisFileError: the analysis cannot be read, or a frames mode finds no timeline.
        OutputError: ``output`` cannot be written.

    >>> files = scenepal.render("movie.scenepal", "frames,circular-scenes",  # doctest: +SKIP
    ...                         formats="png,svg", output="posters/")
    """
    request = picture_request(
        modes,
        size=size,
        print_size=print_size,
        dpi=dpi,
        formats=formats,
        poster=poster,
        title=title,
        year=year,
        smooth=smooth,
        inner=inner,
    )
    film = analysis if isinstance(analysis, Analysis) else load_analysis(analysis)
    files = barcode_files(film, request)
    if output is not None:
        write_pictures(files, output)
    return files


def write_pictures(files: dict[str, bytes], folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``files`` into ``folder`` (created if missing), each atomically.

    Raises:
        OutputError: the folder cannot be written.
    """
    # scenepal.outputs draws barcode.png through this module: imported here, not at the top.
    from scenepal.outputs import check_output_folder, write_file

    target = check_output_folder(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to {target}: {exc.strerror or exc}") from exc
    return [write_file(target / name, data) for name, data in files.items()]
