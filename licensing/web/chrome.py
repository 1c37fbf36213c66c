"""The page header with its service navigation, and the footer, rendered once and reused.

The GOV.UK header, navigation and footer macros cost about half a millisecond a page. Their
output depends only on what the signed-in user may do (their permissions, from role and
clearance) and the page being shown (the user's own name is in the account bar, which is rendered
each time), so each is kept per (permissions, page).
"""

from flask import current_app, render_template, request
from flask_login import current_user

from licensing.models import Permission
from licensing.permissions import can
from licensing.web.messages import error_summary, failed_forms


def _key(template):
    if template == "_site_footer.html":
        return (template,)
    granted = current_user.permissions if current_user.is_authenticated else None
    return (template, granted, request.blueprint, request.endpoint)


def site_fragment(template):
    """The fragment's HTML, rendered by Jinja with autoescaping from our own template; base.html
    marks it safe."""
    key = _key(template)
    rendered = current_app.extensions.setdefault("site_fragments", {})  # per app: each has its council
    html = rendered.get(key)
    if html is None:
        html = rendered[key] = render_template(template)
    return html


def register(app):
    app.jinja_env.globals["site_fragment"] = site_fragment
    # Templates ask `can(Permission.X)`, never which role someone has.
    app.jinja_env.globals.update(can=can, Permission=Permission)
    # Every form with errors gets the error summary and messages that name their fields.
    app.jinja_env.globals.update(failed_forms=failed_forms, error_summary=error_summary)
