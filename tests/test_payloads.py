"""Payload corpus (G16, G24): hostile text stored in every free-text field of the main records
appears escaped on every page that shows it and literally in the PDF letters."""

import datetime as dt
import io
import re

import pypdf
from markupsafe import escape

from licensing.extensions import db
from licensing.holders.operations.holders import create_holder, record_conviction, record_intelligence
from licensing.holders.operations.licences import apply_for_licence
from licensing.models import Licence, LicenceStatus
from licensing.reviews.operations import cases as review_ops
from licensing.reviews.operations import registers as register_operations
from licensing.revocations import immediate as action_operations
from tests.conftest import login
from tests.support.people import authoriser_for
from tests.support.register import user

_BASE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "\"><script>alert(2)</script>", "'><img src=x onerror=alert(3)>", "</textarea><script>x()</script>",
    "</title><script>y()</script>", "<iframe src=javascript:alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
    "<body onload=alert(1)>", "<style>*{display:none}</style>", "<math><mi xlink:href=x>y</mi></math>",
    "\" onmouseover=\"alert(1)", "' onfocus='alert(1)' autofocus='", "` onclick=`alert(1)",
    "<!--", "-->", "<![CDATA[x]]>", "&lt;script&gt;", "&amp;&quot;&#39;",
    "{{ 7*7 }}", "{% raw %}x{% endraw %}", "${7*7}", "<%= 7*7 %>",
    "<font color=\"[[[red]]]\">x</font>", "<font name=\"Courier\" size=\"40\">big</font>",
    "<para><b>bold</b></para>", "<img src=\"/etc/passwd\" width=\"9\" height=\"9\"/>",
    "<link href=\"http://x\">l</link>", "<a href=\"http://evil\">a</a>", "<br/><br/>", "<u>u</u> & <i>i</i>",
    "<seq id=\"x\"/>", "<onDraw name=\"x\"/>", "<strike>s</strike>", "<super>s</super>",
    "=1+2", "=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-1+2", "@SUM(1+1)", "=cmd|' /C calc'!A0",
    "\tTAB", "\rCR", "a,b,\"c\"", "O'Brien & Sons <Ltd>", "Zoë Núñez-Gómez", "%3Cscript%3Ealert(1)%3C/script%3E",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<scr<script>ipt>alert(1)</script>",
]
PAYLOADS = [p.replace("\r", "").replace("\t", "").strip() or p for p in _BASE]


def _seed(officer, index, payload):
    holder = create_holder(officer, {"kind": "person", "first_name": payload[:100], "last_name": f"P{index}",
                                     "date_of_birth": dt.date(1980, 5, 17), "address": payload})
    licence = apply_for_licence(officer, holder, licence_type="private_hire_driver", licence_number=f"PX{index:04d}",
                                received_on=dt.date.today() - dt.timedelta(days=5))
    record_conviction(officer, holder, {"category": "minor_traffic", "disposal": "conviction", "offence": payload,
                                        "source": "dvla", "conviction_date": dt.date.today() - dt.timedelta(days=30)})
    record_intelligence(officer, holder, {"source": "police", "grading": "B2 P", "summary": payload,
                                          "received_on": dt.date.today() - dt.timedelta(days=3)})
    case = review_ops.open_case(officer, holder, "audit", payload)
    review_ops.add_note(officer, case, payload)
    complaint = register_operations.record_complaint(
        officer, received_on=dt.date.today(), channel="email", category="other", details=payload,
        holder_id=holder.id)
    licence.status = LicenceStatus.ACTIVE
    licence.issued_on, licence.expires_on = dt.date(2025, 1, 1), dt.date(2028, 1, 1)
    db.session.flush()
    action = action_operations.take_immediate_action(
        officer, db.session.get(Licence, licence.id), "suspension", grounds=payload, public_safety_reason=payload,
        police_information=False,
        authorised_by_id=authoriser_for(officer).id, suspension_to=dt.date.today() + dt.timedelta(days=30))
    return {"holder": holder.id, "case": case.id, "complaint": complaint.id, "action": action.id,
            "letter": action.letters[0].id}


def _raw_markup(payload):
    return "<" in payload or '"' in payload or "'" in payload


def test_payload_corpus_is_escaped_everywhere(app, client, users):
    assert len(PAYLOADS) >= 50
    with app.app_context():
        officer = user(users["officer"])
        seeded = [_seed(officer, i, p) for i, p in enumerate(PAYLOADS)]
        db.session.commit()
    login(client, users["officer"])
    checked_pages = checked_pdfs = 0
    for payload, ids in zip(PAYLOADS, seeded, strict=True):
        safe = str(escape(payload))
        for url in (f"/holders/{ids['holder']}", f"/reviews/cases/{ids['case']}",
                    f"/reviews/complaints/{ids['complaint']}", f"/revocations/actions/{ids['action']}"):
            html = client.get(url).get_data(as_text=True)
            assert safe in html, (url, payload)
            if _raw_markup(payload):
                assert payload not in html, (url, payload)
            checked_pages += 1
        pdf = client.get(f"/reviews/letters/{ids['letter']}")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        text = " ".join("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())
        assert " ".join(payload.split()) in text, payload
        checked_pdfs += 1
        # No corpus script tag survives anywhere as markup.
        assert not re.search(r"<script>alert", html)
    print(f"\npayload corpus: {len(PAYLOADS)} payloads, {checked_pages} pages and {checked_pdfs} PDFs checked")
