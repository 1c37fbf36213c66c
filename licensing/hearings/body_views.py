"""Deciding bodies: who sits on them and which powers they hold, from when (kept by the
administrator who keeps the council's policy)."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from licensing.extensions import db
from licensing.hearings import bodies
from licensing.hearings.body_forms import AuthorityForm, BodyForm, EndAuthorityForm, MemberForm
from licensing.models import DecidingBody, DecisionAuthority, Role, User
from licensing.permissions import Permission, get_or_404, requires
from licensing.policy.hearing_procedure import powers
from licensing.web.submit import submit

bp = Blueprint("bodies", __name__, url_prefix="/hearings/bodies")


@bp.route("/")
@requires(Permission.POLICY_WRITE)
def index():
    return render_template("hearings/bodies.html", bodies=bodies.all_bodies(), powers=powers())


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.POLICY_WRITE)
def new():
    form = BodyForm()
    done = submit(form, lambda: bodies.create_body(current_user, form.name.data, form.kind.data,
                                                   form.decision_mode.data or None, form.quorum.data),
                  field="name", redirect_to=lambda body: url_for("bodies.body", body_id=body.id))
    return done or render_template("hearings/body_new.html", form=form)


def _member_choices(form):
    people = db.session.query(User).filter(User.role.in_([Role.PANEL, Role.OFFICER, Role.MANAGER]),
                                           User.is_enabled.is_(True)).order_by(User.name).all()
    form.user_id.choices = [("", "Choose a member")] + [(str(u.id), f"{u.name} ({u.role.label.lower()})")
                                                        for u in people]


def _render_body(body, **forms):
    member_form = forms.get("member_form") or MemberForm(version=body.version)
    _member_choices(member_form)
    return render_template("hearings/body.html", body=body, powers=powers(), member_form=member_form,
                           authority_form=forms.get("authority_form") or AuthorityForm(),
                           end_form=forms.get("end_form") or EndAuthorityForm(),
                           end_target=forms.get("end_target"))


@bp.route("/<int:body_id>")
@requires(Permission.POLICY_WRITE)
def body(body_id):
    return _render_body(get_or_404(DecidingBody, body_id))


@bp.route("/<int:body_id>/members", methods=["POST"])
@requires(Permission.POLICY_WRITE)
def add_member(body_id):
    body = get_or_404(DecidingBody, body_id)
    form = MemberForm()
    _member_choices(form)

    def add():
        return bodies.add_member(current_user, body, form.user_id.data, form.role.data, form.from_date.data,
                                 form.to_date.data, version=form.version.data)
    done = submit(form, add, field="user_id", message="Member added",
                  redirect_to=lambda _m: url_for("bodies.body", body_id=body.id))
    return done or _render_body(body, member_form=form)


@bp.route("/<int:body_id>/authorities", methods=["POST"])
@requires(Permission.POLICY_WRITE)
def grant(body_id):
    body = get_or_404(DecidingBody, body_id)
    form = AuthorityForm()

    def add():
        return bodies.grant_authority(current_user, body, form.power.data, form.valid_from.data,
                                      form.valid_to.data, form.source.data)
    done = submit(form, add, field="power", message="Power recorded",
                  redirect_to=lambda _a: url_for("bodies.body", body_id=body.id))
    return done or _render_body(body, authority_form=form)


@bp.route("/authorities/<int:authority_id>/end", methods=["POST"])
@requires(Permission.POLICY_WRITE)
def end(authority_id):
    authority = get_or_404(DecisionAuthority, authority_id)
    form = EndAuthorityForm()

    def finish():
        return bodies.end_authority(current_user, authority, form.last_day.data, form.reason.data)
    done = submit(form, finish, field="last_day", message="Power ended",
                  redirect_to=lambda _a: url_for("bodies.body", body_id=authority.body_id))
    return done or _render_body(authority.body, end_form=form, end_target=authority.id)
