"""Page rendering for the cited-page view: `python -m bench.page_render [PDF ...]`.

For pages spread over each PDF (the default corpus's filings by default) prints the cold render time (a fresh
renderer: open the file, render, encode the PNG, read the page's character boxes), the time of the same page from
the cache, the highlight time for a line of the page's own text, and the PNG size; then the medians, the
cold/cached ratio and whether every cold render stayed under the 300 ms target and every image under 300 KB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.pages import MAX_PNG_BYTES, PageRenderer  # noqa: E402

TARGET_MS = 300.0
DEFAULT_PDFS = sorted((ROOT / "corpus").glob("*.pdf"))


def ms(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def first_line(text: str) -> str:
    """A line of the page long enough to locate (what a citation's quote looks like)."""
    return next((ln for ln in text.splitlines() if len(ln.strip()) >= 40), text[:60])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--pages", type=int, default=8, help="pages per PDF, spread over the file")
    args = parser.parse_args(argv)

    PageRenderer().page_count(args.pdfs[0].resolve())  # imports pypdfium2 and PIL outside the timings
    rows = []
    print(f"{'file':<28} {'page':>4} {'cold ms':>8} {'cached ms':>9} {'highlight ms':>12} {'PNG KB':>7} {'px':>10}")
    for pdf in args.pdfs:
        path = pdf.resolve()
        pages = PageRenderer().page_count(path)
        for n in sorted({1 + i * (pages - 1) // max(1, args.pages - 1) for i in range(args.pages)}):
            renderer = PageRenderer()
            cold, page = ms(lambda: renderer.page(path, n))
            cached, _ = ms(lambda: renderer.page(path, n))
            marked, _ = ms(lambda: renderer.png(path, n, first_line(page.text)))
            rows.append((cold, cached, marked, len(page.png)))
            print(
                f"{pdf.name[:28]:<28} {n:>4} {cold:>8.1f} {cached:>9.3f} {marked:>12.1f} "
                f"{len(page.png) / 1024:>7.0f} {page.width:>4}x{page.height:<5}"
            )
    cold, cached = [r[0] for r in rows], [r[1] for r in rows]
    marked, size = [r[2] for r in rows], [r[3] for r in rows]
    ratio = statistics.median(cold) / statistics.median(cached)
    print(
        f"\npages: {len(rows)}  cold median {statistics.median(cold):.1f} ms, max {max(cold):.1f} ms;  "
        f"cached median {statistics.median(cached):.3f} ms;  cold/cached {ratio:.0f}x;  "
        f"highlight median {statistics.median(marked):.1f} ms;  "
        f"PNG median {statistics.median(size) / 1024:.0f} KB, max {max(size) / 1024:.0f} KB"
    )
    ok = max(cold) < TARGET_MS and max(size) <= MAX_PNG_BYTES
    print(f"target (< {TARGET_MS:.0f} ms per cold page, <= {MAX_PNG_BYTES // 1000} KB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
