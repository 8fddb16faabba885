"""Render the ``math`` role and directive as MathML in the HTML output.

Browsers display MathML natively, so the pages need no JavaScript math
library and load nothing from a network host. The LaTeX is converted by
docutils' ``latex2mathml``, which covers a subset of LaTeX: a formula that
it cannot convert is reported as a Sphinx warning naming the document and
line, and is shown as plain LaTeX text.
"""

from __future__ import annotations

from docutils import nodes
from docutils.utils.math import MathError
from docutils.utils.math.latex2mathml import tex2mathml
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)


def _convert(translator, node, latex: str, as_block: bool) -> str:
    try:
        return tex2mathml(latex, as_block=as_block)
    except MathError as error:
        logger.warning("cannot convert %r to MathML: %s", latex, error, location=node)
        return translator.encode(latex)


def visit_math(translator, node: nodes.math) -> None:
    translator.body.append(translator.starttag(node, "span", "", CLASS="math"))
    translator.body.append(_convert(translator, node, node.astext(), as_block=False))
    translator.body.append("</span>")
    raise nodes.SkipNode


def visit_math_block(translator, node: nodes.math_block) -> None:
    translator.body.append(translator.starttag(node, "div", CLASS="math"))
    if node["number"]:
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        translator.add_permalink_ref(node, "Link to this equation")
        translator.body.append("</span>")
    # A blank line separates equations in one directive.
    for part in node.astext().split("\n\n"):
        if part.strip():
            translator.body.append(_convert(translator, node, part, as_block=True))
    translator.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    """Register the renderer under the name ``mathml``."""
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(visit_math, None),
        block_renderers=(visit_math_block, None),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
