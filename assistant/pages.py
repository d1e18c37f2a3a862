"""Where a citation stands in its original document: a PDF page rendered to PNG on demand, with the quote found
by its characters and highlighted by their pdfium boxes, or the text section around a passage of a Markdown, text
or HTML document. Originals are read only from the documents' own folders (the corpus and the upload folder)."""

from __future__ import annotations

import functools
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from collections.abc import Callable

from assistant.contract import phrases
from assistant.config import Settings
from assistant.contract.errors import PageNotFound, UnknownDocument
from ingest.loaders.pdf_text import ligature_gaps
from ingest.loaders.pdfium_lock import PDFIUM_LOCK
from assistant.contract.types import DocumentInfo

T = TypeVar("T")
MAX_SIDE = 1600  # pixels on the longer side of a rendered page
MAX_SCALE = 2.0  # pixels per PDF point
MAX_PNG_BYTES = 300_000
PALETTE = 64  # colours kept in a page image (text pages look the same and shrink about threefold)
MIN_QUOTE_CHARS = 4  # a quote line shorter than this (without spaces) is too common to locate
SECTION_WINDOW = 2500  # characters shown on each side of a quote in a long section
HIGHLIGHT = (255, 224, 102)  # marker yellow, multiplied into the page so the text stays dark
FOCUS_CONTEXT = 2.5  # lines of context above and below the quote in the enlarged view of it
FOCUS_GAP = 0.1  # a blank stretch wider than this (of the page width) between quoted words is left out of it
FOCUS_MIN_WIDTH = 0.4  # the enlarged view shows at least this much of the page width
_IGNORED = frozenset("$-\x00\x02\xad\ufffe")


@dataclass(frozen=True)
class Box:
    """A rectangle on a page image as fractions of its width and height, measured from the top left."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Focus:
    """The part of a page a quote stands in, to show enlarged: a band from `top` to `bottom` with some lines of
    context, and the stretches across it that hold the quoted text (the blank between a table row's label and
    its figures left out); as fractions of the image. `text_height` is the quote's line height."""

    top: float
    bottom: float
    slices: tuple[tuple[float, float], ...]
    text_height: float


@dataclass
class Highlight:
    """Where a quote stands on a page: one box per line of text it covers; `lines` of the quote were searched,
    `found` of them located exactly; `focus` is the part of the page to enlarge (None when nothing was found)."""

    boxes: list[Box]
    lines: int
    found: int
    focus: Focus | None = None

    @property
    def state(self) -> str:
        """'found', 'partial' or 'missing'."""
        return "found" if self.found == self.lines else "partial" if self.found else "missing"


@dataclass
class RenderedPage:
    """One page as an image (PNG, no highlight) and its text, one character per pdfium character, each with its
    box as a fraction of the image (None for spaces and characters without a box)."""

    png: bytes
    width: int
    height: int
    page: int
    pages: int
    text: str
    boxes: list[tuple[float, float, float, float] | None] = field(repr=False)


@dataclass
class SectionView:
    """The section of a text document around a passage: its heading, the text shown, and the quote's spans in it."""

    heading: str
    text: str
    spans: list[tuple[int, int]]
    clipped_before: bool = False
    clipped_after: bool = False


# -- the original file ---------------------------------------------------------------------------------------
def document_roots(settings: Settings) -> list[Path]:
    """The folders originals may be served from: the bundled corpus and the upload folder."""
    return [Path(settings.store.corpus_dir).resolve(), Path(settings.store.upload_dir).resolve()]


def original_file(docs: dict[str, DocumentInfo], doc_id: str, settings: Settings) -> Path:
    """The original file of a stored document; UnknownDocument or PageNotFound (both 404) when there is none to
    serve: never a file outside the documents' own folders, however the stored path or a link points."""
    info = docs.get(doc_id)
    if info is None:
        raise UnknownDocument(phrases.UNKNOWN_DOCUMENT.format(doc_id=doc_id))
    unavailable = PageNotFound(phrases.ORIGINAL_UNAVAILABLE.format(doc_id=doc_id))
    if not info.source:
        raise unavailable
    path = Path(info.source).resolve()
    if not any(path.is_relative_to(root) for root in document_roots(settings)) or not path.is_file():
        raise unavailable
    return path


def is_pdf(path: Path) -> bool:
    """Whether the file is a PDF by its content (what its pages can be rendered from)."""
    with path.open("rb") as fh:
        return fh.read(5) == b"%PDF-"


# -- finding a quote -----------------------------------------------------------------------------------------
def _squeezed(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, '$' (PDF table cells move or drop it) and hyphen marks (pdfium reports a
    line-end hyphen as U+0002, text extraction as U+FFFE), and each kept character's index."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace() and ch not in _IGNORED]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def locate(text: str, quote: str) -> tuple[list[tuple[int, int]], int, int]:
    """Every exact occurrence of each line of `quote` in `text`, comparing characters with spaces left out.
    Returns the (start, end) spans in `text`, the number of lines searched and the number located."""
    hay, index = _squeezed(text)
    spans, lines, found = [], 0, 0
    for line in quote.split("\n"):
        needle, _ = _squeezed(line)
        if len(needle) < MIN_QUOTE_CHARS:
            continue
        lines += 1
        lead = sum(ch in _IGNORED for ch in line[: len(line) - len(line.lstrip(" $-"))])
        start = hay.find(needle)
        found += start >= 0
        while start >= 0:
            spans.append((_back_over(text, index[start], lead), index[start + len(needle) - 1] + 1))
            start = hay.find(needle, start + len(needle))
    return sorted(set(spans)), lines, found


def _back_over(text: str, start: int, marks: int) -> int:
    """The start moved back over up to `marks` ignored characters ('$') the quote line begins with."""
    i = start - 1
    while marks and i >= 0 and (text[i] in _IGNORED or text[i].isspace()):
        if text[i] in _IGNORED:
            marks, start = marks - 1, i
        i -= 1
    return start


def line_boxes(boxes: list[tuple[float, float, float, float] | None]) -> list[Box]:
    """Character boxes (left, top, right, bottom) in reading order merged into one box per line of text."""
    merged: list[list[float]] = []
    for box in boxes:
        if box is None:
            continue
        left, top, right, bottom = box
        if merged:
            cur = merged[-1]
            middle = (top + bottom) / 2
            same_line = cur[1] <= middle <= cur[3] and left >= cur[0] - (cur[3] - cur[1])
            if same_line:
                cur[:] = [min(cur[0], left), min(cur[1], top), max(cur[2], right), max(cur[3], bottom)]
                continue
        merged.append([left, top, right, bottom])
    return [Box(*(round(v, 5) for v in m)) for m in merged]


def focus_of(chars: list[tuple[float, float, float, float]]) -> Focus | None:
    """The band of the page around the quoted characters and the stretches of it that hold them."""
    if not chars:
        return None
    heights = sorted(b[3] - b[1] for b in chars)
    line = heights[len(heights) // 2]
    top = max(0.0, min(b[1] for b in chars) - FOCUS_CONTEXT * line)
    bottom = min(1.0, max(b[3] for b in chars) + FOCUS_CONTEXT * line)
    spans: list[list[float]] = []
    for left, _, right, _ in sorted(chars):
        if spans and left - spans[-1][1] <= FOCUS_GAP:
            spans[-1][1] = max(spans[-1][1], right)
        else:
            spans.append([left, right])
    pad = max(line, (FOCUS_MIN_WIDTH - sum(b - a for a, b in spans)) / (2 * len(spans)))
    widened: list[list[float]] = []
    for left, right in spans:
        left, right = max(0.0, left - pad), min(1.0, right + pad)
        if widened and left <= widened[-1][1]:
            widened[-1][1] = right
        else:
            widened.append([left, right])
    return Focus(round(top, 5), round(bottom, 5), tuple((round(a, 5), round(b, 5)) for a, b in widened), round(line, 5))


# -- rendering -----------------------------------------------------------------------------------------------
class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


class PageRenderer:
    """Renders PDF pages on demand (one page per request, never the whole file) and keeps the last ones."""

    def __init__(self, cache_size: int = 48, max_side: int = MAX_SIDE, max_bytes: int = MAX_PNG_BYTES):
        self.cache = LRU(cache_size)
        self.max_side = max_side
        self.max_bytes = max_bytes

    def page_count(self, path: Path) -> int:
        import pypdfium2 as pdfium

        def count() -> int:
            with PDFIUM_LOCK:
                doc = pdfium.PdfDocument(str(path))
                try:
                    return len(doc)
                finally:
                    doc.close()

        return self.cache.get_or_make(("pages", *_file_key(path)), count)

    def page(self, path: Path, n: int) -> RenderedPage:
        """Page `n` (1-based) as a PNG with its text and character boxes; PageNotFound when out of range."""
        pages = self.page_count(path)
        if not 1 <= n <= pages:
            raise PageNotFound(phrases.PAGE_OUT_OF_RANGE.format(page=n, pages=pages))
        return self.cache.get_or_make(("page", *_file_key(path), n), lambda: self._render(path, n, pages))

    def highlight(self, page: RenderedPage, quote: str) -> Highlight:
        """The boxes of every exact occurrence of the quote's lines on the page."""
        spans, lines, found = locate(page.text, quote)
        boxes = [b for start, end in spans for b in line_boxes(page.boxes[start:end])]
        chars = [b for start, end in spans for b in page.boxes[start:end] if b is not None]
        return Highlight(boxes, lines, found, focus_of(chars))

    def png(self, path: Path, n: int, quote: str = "") -> tuple[bytes, RenderedPage, Highlight | None]:
        """The page image with the quote highlighted (drawn into the image), the page, and the highlight."""
        page = self.page(path, n)
        if not quote.strip():
            return page.png, page, None
        mark = self.highlight(page, quote)
        if not mark.boxes:
            return page.png, page, mark
        drawn = self.cache.get_or_make(("drawn", *_file_key(path), n, quote), lambda: _draw(page.png, mark.boxes))
        return drawn, page, mark

    def _render(self, path: Path, n: int, pages: int) -> RenderedPage:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                page = doc[n - 1]
                try:
                    width, height = page.get_size()
                    scale = min(MAX_SCALE, self.max_side / max(width, height))
                    while True:
                        bitmap = page.render(scale=scale, may_draw_forms=False)
                        image = bitmap.to_pil()
                        bitmap.close()
                        png = _encode(image)
                        if len(png) <= self.max_bytes or scale < 0.5:
                            break
                        scale *= 0.8
                    text, boxes = _page_text(page, image.width, image.height)
                finally:
                    page.close()
            finally:
                doc.close()
        return RenderedPage(png, image.width, image.height, n, pages, text, boxes)


@functools.cache
def default_renderer() -> PageRenderer:
    """The renderer (and its cache) this process's API and chat share."""
    return PageRenderer()


def _file_key(path: Path) -> tuple[str, int, int]:
    """A file's identity for the cache: a changed file is rendered again."""
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def _page_text(page, width: int, height: int) -> tuple[str, list]:
    """Each character of the page and its loose box as fractions of the rendered image (caller holds the lock);
    a letter a ligature lost takes its ligature's box."""
    import ctypes

    import pypdfium2.raw as raw

    def to_device(x: float, y: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        raw.FPDF_PageToDevice(page.raw, 0, 0, 1_000_000, 1_000_000, 0, x, y, dx, dy)
        return dx.value / 1_000_000, dy.value / 1_000_000

    origin, unit_x, unit_y = to_device(0, 0), to_device(100, 0), to_device(0, 100)
    ax, ay = (unit_x[0] - origin[0]) / 100, (unit_x[1] - origin[1]) / 100
    bx, by = (unit_y[0] - origin[0]) / 100, (unit_y[1] - origin[1]) / 100
    textpage = page.get_textpage()
    try:
        chars, boxes = [], []
        rect = raw.FS_RECTF()
        for i in range(textpage.count_chars()):
            ch = chr(raw.FPDFText_GetUnicode(textpage, i) or 0xFFFE)
            chars.append(ch)
            if ch.isspace() or not raw.FPDFText_GetLooseCharBox(textpage, i, rect) or rect.right <= rect.left:
                boxes.append(None)
                continue
            xs = [origin[0] + ax * x + bx * y for x in (rect.left, rect.right) for y in (rect.bottom, rect.top)]
            ys = [origin[1] + ay * x + by * y for x in (rect.left, rect.right) for y in (rect.bottom, rect.top)]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    finally:
        textpage.close()
    for at, letters in reversed(ligature_gaps("".join(chars))):  # 'ef ect' reads as the 'effect' ingest quotes
        chars[at : at + 1], boxes[at : at + 1] = list(letters), [boxes[at - 1]] * len(letters)
    return "".join(chars), boxes


def _encode(image) -> bytes:
    """A page image as a palette PNG."""
    from PIL import Image

    out = io.BytesIO()
    image.convert("RGB").quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
    return out.getvalue()


def _draw(png: bytes, boxes: list[Box]) -> bytes:
    """The page image with each box painted in marker yellow (multiplied, so the text stays readable)."""
    from PIL import Image, ImageChops, ImageDraw

    image = Image.open(io.BytesIO(png)).convert("RGB")
    overlay = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(overlay)
    pad = max(1, round(image.height * 0.002))
    for b in boxes:
        draw.rectangle(
            [
                b.left * image.width - pad,
                b.top * image.height - pad,
                b.right * image.width + pad,
                b.bottom * image.height + pad,
            ],
            fill=HIGHLIGHT,
        )
    return _encode(ImageChops.multiply(image, overlay))


# -- text documents ------------------------------------------------------------------------------------------
class SectionReader:
    """The sections of Markdown, text and HTML originals, parsed with the ingest loaders and kept for a while."""

    def __init__(self, cache_size: int = 4):
        self.cache = LRU(cache_size)

    def around(self, path: Path, heading: str, quote: str) -> SectionView | None:
        """The section holding the quote (the cited heading's first), clipped around it; None if no section
        holds it exactly (the file changed since it was ingested)."""
        sections = self.cache.get_or_make(("sections", *_file_key(path)), lambda: _sections(path))
        ordered = sorted(sections, key=lambda s: s.heading != heading)
        for section in ordered:
            spans, _lines, found = locate(section.text, quote)
            if found:
                return _clip(section.heading, section.text, spans)
        return None


def _sections(path: Path):
    from ingest.loaders import load_file

    return load_file(path)[0].sections


def _clip(heading: str, text: str, spans: list[tuple[int, int]]) -> SectionView:
    """The whole section when it is short, else a window around the first quoted span, cut at line ends."""
    if len(text) <= 2 * SECTION_WINDOW:
        return SectionView(heading, text, spans)
    first = spans[0][0]
    start = max(0, first - SECTION_WINDOW)
    start = text.rfind("\n", 0, start) + 1 if start else 0
    end = text.find("\n", min(len(text), spans[0][1] + SECTION_WINDOW))
    end = len(text) if end < 0 else end
    shown = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    return SectionView(heading, text[start:end], shown, start > 0, end < len(text))
