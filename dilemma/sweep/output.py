"""Writing sweep results: CSV or Parquet by extension, atomically, and a summary.

Every file is written to a temporary file in the target folder and moved into
place with :func:`os.replace` only once complete, so an interrupted sweep
(Ctrl-C, a crash, a full disk) never leaves a half-written output behind and
never clobbers an earlier complete file.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from ..errors import DilemmaError

__all__ = ["TABLE_FORMATS", "PLOT_FORMATS", "table_format", "plot_format", "atomic_path",
           "write_frame", "write_chart", "summary_text"]

#: Table outputs by extension.
TABLE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: Chart outputs by extension (PNG and SVG rendered offline by vl-convert).
PLOT_FORMATS = {".png": "png", ".svg": "svg", ".html": "html", ".json": "json"}


def _format(path, formats: dict, what: str, option: str) -> str:
    suffix = Path(str(path)).suffix.lower()
    if suffix not in formats:
        allowed = ", ".join(formats)
        got = f"'{suffix}'" if suffix else "no extension"
        raise DilemmaError(f"{option} {path}: unknown {what} extension ({got}); use one of {allowed}")
    folder = Path(str(path)).resolve().parent
    if not folder.is_dir():
        raise DilemmaError(f"{option} {path}: folder {folder} does not exist")
    return formats[suffix]


def table_format(path) -> str:
    """``"csv"`` or ``"parquet"`` from the extension of ``path`` (DilemmaError otherwise)."""
    return _format(path, TABLE_FORMATS, "output", "--out")


def plot_format(path) -> str:
    """``"png"``, ``"svg"``, ``"html"`` or ``"json"`` from the extension of ``path``."""
    return _format(path, PLOT_FORMATS, "plot", "--plot")


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; move it to ``path`` on success.

    On any exception, :class:`KeyboardInterrupt` included, the temporary file
    is removed and ``path`` is left as it was.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_frame(frame, path) -> None:
    """Write a sweep table as CSV or Parquet (by extension), atomically."""
    fmt = table_format(path)
    with atomic_path(path) as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            try:
                import pyarrow  # noqa: F401
            except ModuleNotFoundError:
                raise DilemmaError(
                    "--out: writing Parquet needs pyarrow; install it with "
                    "pip install -e \".[export]\" or write a .csv") from None
            frame.to_parquet(tmp, index=False)


def write_chart(chart, path, scale: float = 2.0) -> None:
    """Write an Altair chart as PNG, SVG (rendered offline by vl-convert), HTML or JSON, atomically."""
    fmt = plot_format(path)
    if fmt in ("png", "svg"):
        try:
            import vl_convert as vlc
        except ModuleNotFoundError:
            raise DilemmaError(
                "--plot: PNG and SVG need vl-convert-python; install it with "
                "pip install -e \".[export]\" or write a .html chart") from None
    spec = chart.to_json()
    with atomic_path(path) as tmp:
        if fmt == "png":
            tmp.write_bytes(vlc.vegalite_to_png(spec, scale=scale))
        elif fmt == "svg":
            tmp.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
        elif fmt == "html":
            tmp.write_text(chart.to_html(), encoding="utf-8")
        else:
            tmp.write_text(spec, encoding="utf-8")


def summary_text(frame, axes: list[str] | None = None, top: int = 5) -> str:
    """A short plain-text reading of a sweep table: regimes, equilibria, simulation."""
    from ..equilibria.classify import TYPE_LABELS

    axes = list(axes if axes is not None else frame.attrs.get("axes", {}))
    n = len(frame)
    lines = []
    spans = []
    for a in axes:
        col = frame[a]
        spans.append(f"{a} {col.min():g}..{col.max():g} ({col.nunique()} values)")
    lines.append(f"{n:,} grid points: " + " x ".join(spans))
    if "game_type" in frame:
        lines.append("game type:")
        counts = frame["game_type"].value_counts()
        width = max(len(TYPE_LABELS.get(k, k)) for k in counts.index)
        for slug, k in counts.items():
            lines.append(f"  {TYPE_LABELS.get(slug, slug):<{width}}  {k:>7,}  {100 * k / n:5.1f} %")
    if "equilibria" in frame:
        counts = frame["equilibria"].value_counts()
        lines.append(f"equilibria ({len(counts)} distinct; most common):")
        for label, k in counts.head(top).items():
            short = label if len(label) <= 70 else label[:67] + "..."
            lines.append(f"  {k:>7,}  {short}")
    current = frame.attrs.get("current")
    if current:
        now = ", ".join(f"{k} = {v:g}" for k, v in current.items())
        lines.append(f"scenario's current values: {now}")
    if "burst_frequency" in frame:
        bf = frame["burst_frequency"]
        lines.append(f"burst frequency: {bf.min():.3f} to {bf.max():.3f} (mean {bf.mean():.3f})")
    if "value_total_mean" in frame:
        v = frame["value_total_mean"]
        lines.append(f"mean market value at the horizon, all firms ($B): {v.min():,.0f} to {v.max():,.0f}")
    return "\n".join(lines)
