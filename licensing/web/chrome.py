"""The page header with its service navigation, and the footer, rendered once and reused.

The GOV.UK header, navigation and footer macros cost about half a millisecond a page. Their
output depends only on the signed-in user's role and the page being shown (the user's own name
is in the account bar, which is rendered each time), so each is kept per (role, page).
"""

from flask import render_template, request
from flask_login import current_user

_rendered = {}


def _key(template):
    if template == "_site_footer.html":
        return (template,)
    role = current_user.role if current_user.is_authenticated else None
    return (template, role, request.blueprint, request.endpoint)


def site_fragment(template):
    """The fragment's HTML, rendered by Jinja with autoescaping from our own template; base.html
    marks it safe."""
    key = _key(template)
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = render_template(template)
    return html


def register(app):
    app.jinja_env.globals["site_fragment"] = site_fragment
