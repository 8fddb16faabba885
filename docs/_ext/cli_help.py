"""The ``cli-help`` directive: the ``--help`` text of the command line.

``.. cli-help:: detect`` inserts the output of ``sktime-srcnn detect
--help`` as a literal block, so the page always shows the options of the
installed version.
"""

from __future__ import annotations

import contextlib
import io
import os

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

#: Line width of the help text, which argparse otherwise takes from the
#: terminal of the build.
HELP_WIDTH = 80


class CliHelp(SphinxDirective):
    """Insert the help text of a subcommand of ``sktime-srcnn``."""

    required_arguments = 1

    def run(self):
        from sktime_srcnn.cli import build_parser

        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = str(HELP_WIDTH)
        text = io.StringIO()
        try:
            with contextlib.redirect_stdout(text):
                build_parser().parse_args([self.arguments[0], "--help"])
        except SystemExit:
            # argparse exits after printing the help.
            pass
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous
        if not text.getvalue():
            raise self.error(
                f"sktime-srcnn {self.arguments[0]} --help printed nothing. "
                f"Check that {self.arguments[0]!r} is a subcommand."
            )
        block = nodes.literal_block(text.getvalue(), text.getvalue())
        block["language"] = "text"
        return [block]


def setup(app):
    """Register the ``cli-help`` directive."""
    app.add_directive("cli-help", CliHelp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
