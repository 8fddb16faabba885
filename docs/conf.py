"""Sphinx configuration of the sktime-srcnn documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``
from the repository root. The build reads only local files: there is no
intersphinx, and formulas are rendered as MathML (see ``_ext/mathml.py``)
instead of by a MathJax script from a CDN.
"""

import sys
from pathlib import Path

import matplotlib

import sktime_srcnn

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sktime-srcnn"
author = "sktime-srcnn developers"
copyright = "sktime-srcnn developers"
release = sktime_srcnn.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",
    "mathml",
    "cli_help",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "_templates"]
templates_path = ["_templates"]
html_math_renderer = "mathml"

# API pages: autosummary writes one stub per object into api/generated/, and
# numpydoc renders the docstrings. numpydoc's member tables are off because
# the class template lists the members itself.
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

#: Inherited methods that the API pages show, by the package that defines
#: them. The other inherited members (tags, cloning, saving, metadata
#: routing, test helpers) are documented by those projects, and several of
#: their docstrings are not valid reStructuredText or link to labels of
#: their own sites, which fails the build under -W.
INHERITED_METHODS_SHOWN = {
    "sklearn": {"fit_transform", "get_feature_names_out", "get_params", "set_params"},
    "sktime": {"fit_predict", "predict", "predict_scores", "transform_scores"},
    "skbase": {"get_params", "set_params"},
}


def _skip_inherited_member(app, what, name, obj, skip, options):
    """Skip the class members defined outside sktime_srcnn that are not listed."""
    if what != "class":
        return None
    package = (getattr(obj, "__module__", None) or "").partition(".")[0]
    if package == "sktime_srcnn" or name in INHERITED_METHODS_SHOWN.get(package, ()):
        return None
    return True


# Figures made by the plot directive while the pages are built.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"figure.figsize": (9, 4.5)}

# Markdown pages (benchmarks.md) are read by MyST.
myst_heading_anchors = 3

html_theme = "pydata_sphinx_theme"
html_title = f"sktime-srcnn {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False
html_static_path = ["_static"]
html_css_files = ["mathml.css"]


def setup(app):
    """Connect the member filter of the API pages."""
    app.connect("autodoc-skip-member", _skip_inherited_member)
