"""``gdstat report``: one self-contained HTML file (CSS and SVG charts inline) for one report, the
years of one agency, or a review dashboard of many agencies. Jinja2 templates, autoescaped; charts
from matplotlib's SVG backend. Both are imported only when a page is made (the ``report`` extra).
"""

from gdstat.htmlreport.build import Page, build

__all__ = ["Page", "build"]
