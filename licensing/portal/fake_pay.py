"""A local stand-in for GOV.UK Pay, for the development demo and the tests: the same create,
status and refund requests and answers, and a card page where the payer pays or cancels and is
sent back to the return URL. It keeps payments in memory and is never served in production."""

import secrets
import threading

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from markupsafe import escape

from licensing.permissions import public

bp = Blueprint("fake_pay", __name__, url_prefix="/fake-pay")
_payments = {}
_lock = threading.Lock()


def _authorised():
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        abort(401)


def _answer(payment):
    return {"payment_id": payment["payment_id"], "amount": payment["amount"], "reference": payment["reference"],
            "description": payment["description"], "return_url": payment["return_url"],
            "state": {"status": payment["status"], "finished": payment["status"] in ("success", "failed",
                                                                                       "cancelled", "error")},
            "refund_summary": {"amount_available": payment["amount"] - payment["refunded"],
                               "amount_submitted": payment["refunded"]},
            "_links": {"next_url": {"href": url_for("fake_pay.card_page", payment_id=payment["payment_id"],
                                                    _external=True), "method": "GET"}}}


@bp.route("/v1/payments", methods=["POST"])
@public
def create():
    _authorised()
    body = request.get_json(force=True)
    if not isinstance(body.get("amount"), int) or body["amount"] <= 0 or not body.get("return_url"):
        return jsonify({"code": "P0102", "description": "Invalid attribute value: amount"}), 422
    payment = {"payment_id": secrets.token_hex(13), "amount": body["amount"], "reference": body["reference"],
               "description": body["description"], "return_url": body["return_url"], "status": "created",
               "refunded": 0}
    with _lock:
        _payments[payment["payment_id"]] = payment
    return jsonify(_answer(payment)), 201


def _found(payment_id):
    payment = _payments.get(payment_id)
    if payment is None:
        abort(404)
    return payment


@bp.route("/v1/payments/<payment_id>")
@public
def status(payment_id):
    _authorised()
    return jsonify(_answer(_found(payment_id)))


@bp.route("/v1/payments/<payment_id>/refunds", methods=["POST"])
@public
def refund(payment_id):
    _authorised()
    payment, body = _found(payment_id), request.get_json(force=True)
    available = payment["amount"] - payment["refunded"]
    if payment["status"] != "success" or body.get("refund_amount_available") != available:
        return jsonify({"code": "P0604", "description": "Refund amount available mismatch"}), 412
    if not 0 < body.get("amount", 0) <= available:
        return jsonify({"code": "P0603", "description": "The payment is not available for refund"}), 400
    with _lock:
        payment["refunded"] += body["amount"]
    return jsonify({"refund_id": secrets.token_hex(10), "amount": body["amount"], "status": "success"}), 202


@bp.route("/pay/<payment_id>", methods=["GET", "POST"])
@public
def card_page(payment_id):
    """The payer's page: in place of the card form, two buttons."""
    payment = _found(payment_id)
    if request.method == "POST":
        with _lock:
            if payment["status"] in ("created", "started"):
                payment["status"] = "success" if request.form.get("outcome") == "pay" else "cancelled"
        return redirect(payment["return_url"])
    with _lock:
        if payment["status"] == "created":
            payment["status"] = "started"  # the payer has reached the card page
    return (f"<!DOCTYPE html><html lang='en'><head><title>Test payment service</title></head><body><main>"
            f"<h1>Test payment service</h1><p>{escape(payment['description'])}: "
            f"£{payment['amount'] / 100:,.2f}</p><p>No card is needed and no money moves.</p>"
            f"<form method='post'><button name='outcome' value='pay'>Pay now</button> "
            f"<button name='outcome' value='cancel'>Cancel payment</button></form></main></body></html>")
