"""GOV.UK form widgets: a blank field is rendered once per process.

govuk-frontend-wtf renders every field through its own Jinja template and the GOV.UK macros,
which costs a few tenths of a millisecond a field; a case page has a dozen. The HTML depends
only on the widget's template and its parameters, so a blank field (no value, no error) renders
the same every time and is kept. A field holding a value or an error is rendered afresh each
time, so no value anyone typed, and no stored value shown in a form, is held in memory (option
lists are kept as every user sees them).
"""

import threading

from govuk_frontend_wtf.gov_form_base import GovFormBase
from markupsafe import Markup

MAX_ENTRIES = 2000

_rendered = {}
_lock = threading.Lock()
_render_afresh = GovFormBase.render


def _frozen(value):
    """A hashable form of the parameters; Markup is told apart from text, which is escaped."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, Markup):
        return ("markup", str(value))
    return (type(value).__name__, value)


def _blank(params):
    if params.get("errorMessage") or params.get("value"):
        return False
    # Date inputs carry the day, month and year as named items.
    return not any(isinstance(item, dict) and item.get("name") and item.get("value")
                   for item in params.get("items") or ())


def _render(widget, params):
    if not _blank(params):
        return _render_afresh(widget, params)
    try:
        key = (widget.template, _frozen(params))
        hash(key)
    except TypeError:
        return _render_afresh(widget, params)
    html = _rendered.get(key)
    if html is None:
        html = _render_afresh(widget, params)
        with _lock:
            if len(_rendered) >= MAX_ENTRIES:
                _rendered.clear()
            _rendered[key] = html
    return html  # Markup, as the widget rendered it


def install():
    GovFormBase.render = _render
