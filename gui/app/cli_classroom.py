"""``dvar lesson`` and ``dvar worksheet``: the command line's classroom commands.

``dvar lesson FILE --check`` validates a file's lesson without a display (and loads no
Qt); ``dvar lesson FILE`` plays it.  ``dvar worksheet`` writes a worksheet to print.
Bad input: exit status 2 and one line ``dvar: error: …``, as for every dvar command.
"""

from __future__ import annotations

from dvar.gui.app.cli import Parser, fail, use_offscreen_without_display


def lesson(args: list[str]) -> int:
    """``dvar lesson FILE`` opens the app in the lesson player; with ``--check`` it
    validates the lesson without a display and loads no Qt."""
    parser = Parser(
        prog="dvar lesson",
        description="Play the lesson a .dvar file carries, or (--check) validate it without "
        "a display: every step names existing nodes, every asked cell has an answer, every "
        "action is possible.",
    )
    parser.add_argument("file", help="the .dvar file with a lesson")
    parser.add_argument(
        "--check", action="store_true", help="validate the lesson and print one line; no window"
    )
    options = parser.parse_args(args)

    from dvar import core
    from dvar.core.lesson import LessonError, check_lesson

    try:
        graph = core.load(options.file)
    except core.FileFormatError as error:
        return fail(str(error))
    lesson = graph.lesson
    if lesson is None:
        return fail(f"{options.file}: the file has no lesson")
    if not options.check:
        from dvar.gui.app.application import run

        return run(options.file, lesson=True)
    try:
        check_lesson(graph, lesson, core.evaluate(graph))
    except LessonError as error:
        return fail(f"{options.file}: {error}")
    count = len(lesson.steps)
    print(f'{options.file}: "{lesson.title}", {count} step{"s" * (count != 1)}: ok')
    return 0


def worksheet(args: list[str]) -> int:
    """``dvar worksheet FILE -o OUT.pdf``: the diagram with numbered blanks, a table to
    fill in and, with ``--answers``, the key; what to hide is checked before Qt starts."""
    parser = Parser(
        prog="dvar worksheet",
        description="Write a worksheet to print (PDF): the diagram with numbered blanks where "
        "the hidden numbers were, a table to fill in, and with --answers an answer key on a "
        "page of its own.",
    )
    parser.add_argument("file", help="the .dvar file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF to write")
    parser.add_argument(
        "--hide",
        action="append",
        metavar="WHAT",
        help="what to leave blank: derivatives, values, locals (the local derivatives on the "
        "edges) or lesson (every cell the file's lesson asks); repeat for several (default: "
        "lesson when the file has one, derivatives otherwise)",
    )
    parser.add_argument("--answers", action="store_true", help="add the answer key")
    parser.add_argument("--paper", default="a4", help="a4 (the default) or letter")
    options = parser.parse_args(args)
    if options.paper.lower() not in ("a4", "letter"):
        return fail(f"--paper: choose a4 or letter, not {options.paper!r}")
    if not options.output.lower().endswith(".pdf"):
        return fail(f"{options.output}: a worksheet is a PDF; name the file .pdf")

    from pathlib import Path

    from dvar import core
    from dvar.core.worksheet import WorksheetError, check_blanks

    try:
        graph = core.load(options.file)
    except core.FileFormatError as error:
        return fail(str(error))
    try:  # the choice of what to hide is checked before a display is started
        check_blanks(graph, core.evaluate(graph), options.hide)
    except WorksheetError as error:
        return fail(f"{options.file}: {error}")
    use_offscreen_without_display()
    from dvar.gui.canvas.export_formats import ExportError
    from dvar.gui.canvas.worksheet import write_worksheet

    try:
        result = write_worksheet(
            graph,
            options.output,
            hide=options.hide,
            answers=options.answers,
            paper=options.paper.lower(),
            name=Path(options.file).name,
        )
    except ExportError as error:
        return fail(str(error))
    pages = f"{result.pages} page{'s' * (result.pages != 1)}"
    key = ", with the answer key" if options.answers else ""
    print(f"{result.path}: {pages}, {result.blanks} blank{'s' * (result.blanks != 1)}{key}")
    return 0


#: The commands, by the word that names them on the command line.
COMMANDS = {"lesson": lesson, "worksheet": worksheet}
