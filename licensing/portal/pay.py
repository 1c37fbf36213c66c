"""The payment service: GOV.UK Pay's public API (create a payment, send the payer to its page,
read its state on return and when reconciling, refund), behind one small interface. Settings:
PAY_API_URL and PAY_API_KEY (or PAY_API_KEY_FILE, a file holding it). Off until a key is set;
the development demo and the tests use the local fake (licensing/portal/fake_pay.py), which
follows the same requests and answers."""

import json
import pathlib
import urllib.error
import urllib.request

from flask import current_app

from licensing.portal.operations import PortalError


class PaymentServiceError(PortalError):
    """The payment service refused or did not answer; nothing is taken and the payer may try again."""


class PaymentServiceOff(PaymentServiceError):
    pass


class GovukPay:
    def __init__(self, base_url, api_key, timeout=10):
        self.base_url, self.api_key, self.timeout = base_url.rstrip("/"), api_key, timeout
        self.name = "fake" if "/fake-pay" in base_url else "govuk_pay"

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the council's configured service
            f"{self.base_url}{path}", data=data, method=method,
            headers={"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json",
                     "Accept": "application/json"})
        try:
            # The address is the council's configured payment service, https in production.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            current_app.logger.warning("payment service answered %s to %s %s", error.code, method, path.split("/")[2])
            raise PaymentServiceError("The payment service could not take your payment just now. "
                                      "No money has been taken: try again later", field="pay") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            current_app.logger.warning("payment service unreachable: %s", type(error).__name__)
            raise PaymentServiceError("The payment service is not available just now. "
                                      "No money has been taken: try again later", field="pay") from error

    def create(self, amount, reference, description, return_url):
        answer = self._call("POST", "/v1/payments", {"amount": amount, "reference": reference,
                                                     "description": description, "return_url": return_url})
        return {"payment_id": answer["payment_id"], "status": answer["state"]["status"],
                "next_url": answer["_links"]["next_url"]["href"]}

    def status(self, payment_id):
        answer = self._call("GET", f"/v1/payments/{payment_id}")
        return {"status": answer["state"]["status"], "finished": answer["state"]["finished"],
                "amount": answer["amount"]}

    def refund(self, payment_id, amount, available):
        answer = self._call("POST", f"/v1/payments/{payment_id}/refunds",
                            {"amount": amount, "refund_amount_available": available})
        return {"refund_id": answer["refund_id"], "status": answer["status"]}


def _api_key(config):
    if config.get("PAY_API_KEY_FILE"):
        return pathlib.Path(config["PAY_API_KEY_FILE"]).read_text().strip()
    return config.get("PAY_API_KEY") or ""


def payment_service():
    config = current_app.config
    key = _api_key(config)
    if not key:
        raise PaymentServiceOff("Paying online is not available yet. Contact the licensing team to pay",
                                field="pay")
    return GovukPay(config["PAY_API_URL"], key, timeout=config.get("PAY_TIMEOUT_SECONDS", 10))
