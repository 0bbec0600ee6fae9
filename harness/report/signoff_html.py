"""`signoff.html`: the sign-off report as one self-contained page (inline CSS and SVG, no script, no network),
rendered with Jinja2 from `templates/signoff.html.j2`."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from harness.report.charts import all_charts
from harness.report.environment import flat_environment
from harness.report.formatting import amount
from harness.report.phases import PHASE_HEADERS, phase_rows
from harness.signoff.categories import CATEGORIES
from harness.signoff.record import SignOff


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # StrictUndefined: a template that asks for a field the report lacks fails in the tests, not silently.
    environment = Environment(loader=PackageLoader("harness.report", "templates"),
                              autoescape=select_autoescape(["j2", "html"]), undefined=StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)
    environment.filters["amount"] = amount
    return environment


def render_html(report: SignOff) -> str:
    template = _environment().get_template("signoff.html.j2")
    return template.render(r=report, charts=all_charts(report), categories=CATEGORIES,
                           environment=flat_environment(report.environment), phases=phase_rows(report.timings),
                           phase_headers=PHASE_HEADERS)
