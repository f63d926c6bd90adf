"""Tables laid out for the console they are printed on (`Grid`), and the titled rich table
and plain-text cell every table is built from.

Colour is decoration only (every fact is also in the text), so the output reads the same with
NO_COLOR, in a pipe, or in a file.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from costcalc.safe import plain_inert


def titled_table(title: str) -> Table:
    # A light box and no outer padding so tables fit 80 columns; folding (never "…") keeps
    # every digit when the terminal is narrower still.
    return Table(
        title=Text(plain_inert(title)),  # titles name files: plain text, not markup
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )


def text_cell(value: str | RenderableType) -> RenderableType:
    """Cells are plain text, never markup: job names, file names and ids come from files."""
    return Text(plain_inert(value)) if isinstance(value, str) else value


Row = tuple[list[str], bool]  # cells, and whether a section ends after the row


class Grid:
    """A table laid out for the console it is printed on.

    Right-aligned (number) columns reserve their widest cell when all of them fit, so that
    rich narrows the label columns first; when they cannot all fit, numbers fold onto a
    second line. Either way no digit is ever cut off.
    """

    def __init__(
        self,
        title: str,
        columns: list[tuple[str, str]],
        rows: list[Row],
        highlight: int | None = None,
        bold: frozenset[int] = frozenset(),
    ) -> None:
        self.title, self.columns, self.rows, self.highlight = title, columns, rows, highlight
        self.bold = bold | ({highlight} if highlight is not None else set())

    def _widest(self, i: int) -> int:
        name = self.columns[i][0]
        return max([len(cells[i]) for cells, _ in self.rows] + [len(w) for w in name.split()])

    def _longest_word(self, i: int) -> int:
        """The narrowest a label column gets: its longest word, so a scenario name or a file
        name is never broken inside (the header and cells wrap at spaces only)."""
        texts = [cells[i] for cells, _ in self.rows] + [self.columns[i][0]]
        return max((len(word) for text in texts for word in text.split()), default=0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [self._widest(i) for i in range(len(self.columns))]
        fits = sum(widths) + 2 * len(self.columns) <= options.max_width
        # The bar column is decoration: the first thing to go when the table does not fit.
        keep = [i for i, (name, _) in enumerate(self.columns) if fits or name]
        table = titled_table(self.title)
        for i in keep:
            name, justify = self.columns[i]
            if not name:  # the bar column, when it fits: never wrapped
                table.add_column(name, no_wrap=True, overflow="crop")
            else:
                table.add_column(name, justify=_JUSTIFY[justify], overflow="fold")
        for r, (cells, end_section) in enumerate(self.rows):
            table.add_row(
                *(text_cell(cells[i]) for i in keep),
                end_section=end_section,
                style="bold" if r in self.bold else None,
            )
        if not fits:
            sized = _sized(self, table, keep, widths, options.max_width)
            if sized is None and console.is_terminal:
                # Too narrow for whole numbers and whole words in columns: a folded
                # "$4,000.00" reads as two amounts, so show each row as "column: value" lines.
                yield from _records(self, console, options)
                return
            if sized is None:
                # Piped or written to a file: nobody resizes that, and a folded money figure
                # reads as two numbers to grep or a diff. Lay the table out wider instead.
                sized = [self.least_width(i, widths) for i in keep]
                overhead = _overhead(table)
                options = options.update(width=sum(sized) + overhead)
            for column, width in zip(table.columns, sized):
                column.width = width
            # rich measures collapsed padding as one cell per column but renders the first
            # column with its left pad too: give that column the cell it will lose.
            table.columns[0].width = sized[0] + 1
        yield from console.render(table, options)

    def least_width(self, i: int, widths: list[int]) -> int:
        """A number column's whole width; a label column's longest word."""
        return widths[i] if self.columns[i][1] == "right" else self._longest_word(i)


def _overhead(table: Table) -> int:
    # What rich adds around the cells: column padding, the dividers between columns, and
    # the first column's left pad (see __rich_console__). rich has no public measure.
    pads = sum(table._get_padding_width(i) for i in range(len(table.columns)))
    return table._extra_width + pads + 1


def _sized(
    grid: Grid, table: Table, keep: list[int], widths: list[int], max_width: int
) -> list[int] | None:
    """Content widths for the kept columns within `max_width`: numbers whole, labels at
    least their longest word and then as wide as the room allows; None when even that
    does not fit. Set here, not left to rich, whose last-resort squeeze cuts words."""
    sized = [grid.least_width(i, widths) for i in keep]
    room = max_width - _overhead(table) - sum(sized)
    if room < 0:
        return None
    # The room goes first to number headers on one line ("Hit rate"), then to labels.
    wanted = [
        (k, max(widths[i], len(grid.columns[i][0])))
        for k, i in enumerate(keep)
        if grid.columns[i][1] == "right"
    ] + [(k, widths[i]) for k, i in enumerate(keep) if grid.columns[i][1] != "right"]
    for k, want in wanted:
        grow = max(0, min(room, want - sized[k]))
        sized[k] += grow
        room -= grow
    return sized


def _records(grid: Grid, console: Console, options: ConsoleOptions) -> RenderResult:
    out = Text()
    if grid.title:
        out.append(grid.title + "\n", style="bold")
    for r, (cells, end_section) in enumerate(grid.rows):
        style = "bold" if r in grid.bold else None
        if cells and cells[0]:
            out.append(plain_inert(cells[0]) + "\n", style=style)
        for (name, _), cell in zip(grid.columns[1:], cells[1:]):
            if name and cell:
                out.append(f"  {name}: {plain_inert(cell)}\n", style=style)
        if end_section:
            out.append("\n")
    yield from console.render(out, options)


# Column alignments as the tables spell them, narrowed to the ones rich accepts.
_JUSTIFY: dict[str, JustifyMethod] = {"left": "left", "right": "right", "center": "center"}


def grid(
    title: str, columns: list[tuple[str, str]], rows: list[Row], highlight: int | None = None
) -> Grid:
    return Grid(title, columns, rows, highlight)
