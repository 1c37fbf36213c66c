"""Taxi licensing case management: the application factory."""

import os
import uuid

from flask import Flask, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(overrides=None, environ=None):
    """Build the application. `overrides` win over the environment (tests use them)."""
    from config import load_config

    app = Flask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
        instance_path=os.path.join(ROOT, "instance"),
    )
    app.config.update(load_config(environ, instance_path=app.instance_path))
    app.config.update(overrides or {})
    os.makedirs(app.instance_path, exist_ok=True)
    _trust_proxies(app)

    from licensing.errortracking import init_error_tracking

    init_error_tracking(app)

    from licensing.web.security import limit_request_body

    # First of all hooks, so that no other (CSRF included) reads an oversized body.
    app.before_request(limit_request_body)
    _configure_templates(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_holder_sections()
    _register_hooks(app)
    _register_error_pages(app)

    from licensing.cli import register_cli

    register_cli(app)
    return app


def _trust_proxies(app):
    """Behind the council's proxy, the client's address and scheme come from its X-Forwarded-*
    headers, trusted for exactly TRUSTED_PROXIES hops (0: none, the headers are ignored)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _configure_templates(app):
    from govuk_frontend_wtf.main import WTFormsHelpers

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    from licensing.web import chrome, formatting, widgets

    widgets.install()
    chrome.register(app)

    formatting.register(app)


def _init_extensions(app):
    from licensing.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "strong"

    from licensing.auth.operations import load_user_by_session_token

    login_manager.user_loader(load_user_by_session_token)

    from licensing.auth.sso import init_sso

    init_sso(app)

    with app.app_context():
        from licensing.dbsetup import commit_at_edge, configure_engine, end_read_only_transaction, track_writes

        configure_engine(db.engine)
        track_writes(db.engine)
    app.after_request(commit_at_edge)
    app.teardown_request(end_read_only_transaction)


def _register_blueprints(app):
    from licensing.admin.views import bp as admin_bp
    from licensing.auth.sso_views import bp as sso_bp
    from licensing.auth.views import bp as auth_bp
    from licensing.decisions.views import bp as decisions_bp
    from licensing.hearings.body_views import bp as bodies_bp
    from licensing.hearings.views import bp as hearings_bp
    from licensing.holders.views import bp as holders_bp
    from licensing.imports.views import bp as imports_bp
    from licensing.integrations.views import bp as integrations_bp
    from licensing.main.views import bp as main_bp
    from licensing.portal.application_views import bp as portal_apply_bp
    from licensing.portal.evidence_views import bp as portal_evidence_bp
    from licensing.portal.staff_application_views import bp as online_applications_bp
    from licensing.portal.staff_payment_views import bp as online_payments_bp
    from licensing.portal.staff_views import bp as online_accounts_bp
    from licensing.portal.views import bp as portal_bp
    from licensing.public_register.views import bp as public_register_bp
    from licensing.reports.views import bp as reports_bp
    from licensing.reports.views import public_bp as decision_register_bp
    from licensing.reviews.views import bp as reviews_bp
    from licensing.revocations.views import bp as revocations_bp
    from licensing.safeguarding.views import bp as safeguarding_bp
    from licensing.training.views import bp as training_bp

    if app.config.get("PAY_FAKE"):
        from licensing.extensions import csrf
        from licensing.portal.fake_pay import bp as fake_pay_bp

        csrf.exempt(fake_pay_bp)  # it stands for another service, called by our server and the payer
        app.register_blueprint(fake_pay_bp)
    for blueprint in (main_bp, auth_bp, holders_bp, admin_bp, reviews_bp, training_bp, imports_bp,
                      public_register_bp, hearings_bp, bodies_bp, reports_bp, revocations_bp, safeguarding_bp,
                      decisions_bp, decision_register_bp, portal_bp, portal_evidence_bp, portal_apply_bp,
                      online_accounts_bp, online_applications_bp,
                      online_payments_bp, integrations_bp, sso_bp):
        app.register_blueprint(blueprint)
    from licensing.api import register_api

    register_api(app)


def _register_holder_sections():
    from licensing.hearings.queries import holder_decisions_section
    from licensing.holders.queries.holder_page import register_holder_section
    from licensing.integrations.sections import LOOKUP_PROBES, holder_lookups_section
    from licensing.portal.queries import ONLINE_ACCOUNT_PROBES, holder_online_account_section
    from licensing.reviews.queries import holder_cases_section
    from licensing.revocations.queries import holder_enforcement_section
    from licensing.training.queries import holder_compliance_section

    register_holder_section("holders/sections/compliance.html", holder_compliance_section)
    register_holder_section("holders/sections/cases.html", holder_cases_section)
    register_holder_section("revocations/_holder_enforcement.html", holder_enforcement_section)
    register_holder_section("hearings/_holder_decisions.html", holder_decisions_section)
    register_holder_section("integrations/_holder_lookups.html", holder_lookups_section, LOOKUP_PROBES)
    register_holder_section("portal/_holder_online_account.html", holder_online_account_section,
                            ONLINE_ACCOUNT_PROBES)


def _register_hooks(app):
    from licensing.auth.sessions import enforce_session_timeouts, require_new_password
    from licensing.logs import configure_logging
    from licensing.permissions import enforce_access_rules
    from licensing.web.security import (
        csp_nonce,
        register_bad_input_handlers,
        reject_nul_characters,
        set_security_headers,
    )

    configure_logging(app)
    register_bad_input_handlers(app)
    app.before_request(reject_nul_characters)
    app.before_request(enforce_access_rules)
    app.before_request(enforce_session_timeouts)
    app.before_request(require_new_password)
    app.after_request(set_security_headers)
    app.add_template_global(csp_nonce, "csp_nonce")


def _register_error_pages(app):
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.orm.exc import StaleDataError

    from licensing.errors import STALE_MESSAGE, ConflictError, DomainError
    from licensing.extensions import db

    def page(template, status):
        def handler(error):
            return render_template(template, error=error), status

        return handler

    @app.errorhandler(400)
    def bad_request(error):
        reason = getattr(error, "description", None) or "The request could not be understood."
        return render_template("errors/400.html", reason=reason), 400

    from licensing.permissions import audited_refusal

    app.register_error_handler(403, audited_refusal(page("errors/403.html", 403)))
    app.register_error_handler(404, audited_refusal(page("errors/404.html", 404)))
    app.register_error_handler(405, page("errors/405.html", 405))
    app.register_error_handler(413, page("errors/413.html", 413))

    def too_many(status):
        def handler(error):
            reason = error.description if status == 503 else None
            response = app.make_response((render_template("errors/429.html", reason=reason), status))
            response.headers.setdefault("Retry-After", "60")
            return response

        return handler

    # Flask-Limiter's own Retry-After (the window's end) replaces the default minute on a 429.
    app.register_error_handler(429, too_many(429))
    app.register_error_handler(503, too_many(503))

    def refused(message):
        db.session.rollback()
        back = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else None
        return render_template("errors/409.html", message=message, back=back), 409

    @app.errorhandler(StaleDataError)
    def lost_race(error):
        # Two saves passed the version check together; the database kept the first. Any form
        # without its own handling shows the conflict instead of an error page.
        return refused(STALE_MESSAGE)

    @app.errorhandler(DomainError)
    def domain_refusal(error):
        # A refusal no form step caught (raised outside one, or by a page without a form): the
        # work is rolled back and the message shown, never the 500 page.
        db.session.rollback()
        error = error.after_rollback()
        if isinstance(error, ConflictError):
            return refused(error.message)
        return render_template("errors/400.html", reason=error.message), 400

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/400.html", reason="The form had expired. Try again."), 400

    @app.errorhandler(500)
    def server_error(error):
        from licensing.logs import log_unhandled

        reference = uuid.uuid4().hex[:12]
        db.session.rollback()
        log_unhandled(error, reference)
        return render_template("errors/500.html", reference=reference), 500
