"""lumo_links: a Datasette plugin that scripts/lumo-datasette loads (--plugins-dir). A
column named *_url whose value is one of the dashboards' own pages (/-/dashboards/...)
is shown as a link, so the canned queries' rows open a session's page (Datasette links
only absolute http(s) addresses by itself). The value is escaped; nothing else changes."""
from datasette import hookimpl
from markupsafe import Markup, escape


@hookimpl
def render_cell(value, column):
    if isinstance(value, str) and column.endswith("_url") and value.startswith("/-/dashboards/"):
        return Markup('<a href="%s">%s</a>' % (escape(value), escape(value)))
    return None
