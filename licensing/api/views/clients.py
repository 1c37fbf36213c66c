"""Administrators' pages for the API's system clients: the list, a new client (its token shown
once), and revoking a token."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from licensing.api.forms import NewClientForm, RevokeClientForm
from licensing.api.operations import create_client, revoke_client
from licensing.api.queries import clients as all_clients
from licensing.models import ApiClient, ApiScope
from licensing.permissions import Permission, get_or_404, requires
from licensing.web.submit import submit

bp = Blueprint("api_clients", __name__, url_prefix="/admin/api-clients")


@bp.route("/")
@requires(Permission.API_CLIENTS_ADMIN)
def index():
    return render_template("api/clients.html", clients=all_clients(), scope_labels={s.value: s.label for s in ApiScope})


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.API_CLIENTS_ADMIN)
def new():
    form = NewClientForm()
    done = submit(
        form, lambda: create_client(current_user, form.name.data, form.scopes.data, form.webhook_url.data),
        field="name",
        on_success=lambda created: render_template("api/client_created.html", client=created[0], token=created[1],
                                                   secret=created[2]))
    return done or render_template("api/new_client.html", form=form)


@bp.route("/<int:client_id>/revoke", methods=["GET", "POST"])
@requires(Permission.API_CLIENTS_ADMIN)
def revoke(client_id):
    client = get_or_404(ApiClient, client_id)
    form = RevokeClientForm()
    done = submit(form, lambda: revoke_client(current_user, client, form.reason.data), field="reason",
                  redirect_to=url_for("api_clients.index"), message=f"The token of {client.name} is revoked.")
    return done or render_template("api/revoke_client.html", form=form, client=client)
