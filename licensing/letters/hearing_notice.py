"""Notices about a hearing, one per listed case: the notice of hearing, and the notices sent when the
hearing is given a new date, adjourned, cancelled, or the decision is deferred. A notice of hearing
says what the holder needs to answer the case: the power relied on, what may be decided, what is
enclosed, whether the public will be excluded and why, their rights and whom to contact (legal
review L15, H3, H5). Pure: data in, PDF bytes out; user text escaped."""

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from licensing.letters.contact import CouncilContact, contact_paragraphs
from licensing.letters.fonts import FONT, stylesheet
from licensing.text import govuk_date

TITLES = {"hearing": "Notice of hearing", "new_date": "Notice of hearing: new date",
          "adjourned": "Notice of adjournment", "cancelled": "Notice that a hearing will not take place",
          "deferred": "Notice of deferral"}


@dataclass(frozen=True)
class HearingNotice:
    council_name: str
    reference: str
    notice_date: dt.date
    holder_name: str
    holder_address: str
    licence_numbers: str
    starts_at: dt.datetime
    venue: str
    deciding_body: str
    matters: str
    evidence_deadline: dt.date
    kind: str = "hearing"  # a key of TITLES
    powers: tuple = ()  # the statutory powers relied on, as the rule table cites them
    outcomes: tuple = ()  # what the body may decide, in words
    enclosures: tuple = ()
    papers_by: dt.date | None = None  # the report and bundle are sent by this day at the latest
    private_paragraph: int | None = None
    private_text: str = ""
    public_interest: str = ""
    contact_officer: str = ""  # name and post
    contact: CouncilContact | None = None
    previous_starts_at: dt.datetime | None = None
    change_reason: str = ""
    deferred_to: dt.date | None = None


def _p(text, style):
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _when(moment):
    return f"{govuk_date(moment.date())} at {moment:%H:%M}"


def _change(notice, body):
    """The opening of a notice that changes an earlier one."""
    before = _when(notice.previous_starts_at) if notice.previous_starts_at else ""
    reason = [_p(f"Reason: {notice.change_reason}", body)] if notice.change_reason else []
    if notice.kind == "new_date":
        return [_p(f"The hearing of your case{' on ' + before if before else ''} will not take place then. "
                   f"It will now be heard on {_when(notice.starts_at)}.", body), *reason,
                _p("This notice replaces the earlier notice of hearing. Everything else in it still applies, "
                   "and is repeated below.", body)]
    if notice.kind == "adjourned":
        return [_p(f"The hearing of your case on {before or _when(notice.starts_at)} has been adjourned.", body),
                *reason, _p("You will be sent a new notice of hearing with the new date, giving you the full notice "
                            "period. Nothing has been decided about your licence.", body)]
    if notice.kind == "cancelled":
        return [_p(f"The hearing on {_when(notice.starts_at)} at which your case was to be heard has been "
                   "cancelled.", body), *reason,
                _p("Nothing has been decided about your licence. If your case is to be heard on another date, you "
                   "will be sent a new notice of hearing.", body)]
    to = (f"to {govuk_date(notice.deferred_to)}" if notice.deferred_to else "to a later hearing")
    return [_p(f"At the hearing on {_when(notice.starts_at)}, the {notice.deciding_body} deferred its decision on "
               f"your case {to}.", body), *reason,
            _p("Nothing has been decided about your licence yet. You will be sent a new notice of hearing with the "
               "date, time and place.", body)]


def _case(notice, body, h2):
    story = [_p(f"Venue: {notice.venue}", body), _p("Matters to be considered", h2), _p(notice.matters, body)]
    if notice.powers:
        story += [_p("The power relied on", h2),
                  _p("The council may act under " + "; and ".join(notice.powers) + ".", body)]
    if notice.outcomes:
        story += [_p(f"What the {notice.deciding_body} may decide", h2),
                  _p("Having heard the case, it may: " + "; ".join(notice.outcomes) + ".", body)]
    if notice.enclosures:
        by = f" no later than {govuk_date(notice.papers_by)}" if notice.papers_by else ""
        story += [_p("Enclosures", h2),
                  _p(f"With this notice, or sent to you when the agenda is published{by}:", body),
                  *[_p(f"• {item}", body) for item in notice.enclosures]]
    story += [_p("Will the hearing be in public?", h2), _p(_privacy(notice), body)]
    story += [
        _p("Your rights", h2),
        _p("You have the right to attend the hearing and to speak. You may be represented by a solicitor, a trade "
           "representative or a friend, and you may call witnesses.", body),
        _p("You may submit written evidence or statements for the panel to consider. Send them to the licensing "
           f"office by {govuk_date(notice.evidence_deadline)}.", body),
        _p("If you do not attend, the hearing may go ahead and a decision may be made in your absence.", body),
    ]
    return story


def _privacy(notice):
    if notice.private_paragraph is None:
        return "Your case will be heard in public."
    words = (f"The {notice.deciding_body} is expected to exclude the press and public while your case is heard, "
             f"because it will consider exempt information within paragraph {notice.private_paragraph} of Part 1 "
             f"of Schedule 12A to the Local Government Act 1972 ({notice.private_text.rstrip('.')}).")
    return f"{words} {notice.public_interest}".strip()


def build_hearing_notice(notice):
    buffer = io.BytesIO()
    styles = stylesheet()
    body, h1, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"{TITLES[notice.kind]} {notice.reference}", author=notice.council_name)
    story = [
        _p(notice.council_name, h2),
        _p(f"Reference: {notice.reference}", body),
        _p(f"Date of notice: {govuk_date(notice.notice_date)}", body),
        Spacer(1, 6 * mm), _p(notice.holder_name, body), _p(notice.holder_address, body), Spacer(1, 6 * mm),
        _p(TITLES[notice.kind], h1),
    ]
    if notice.kind == "hearing":
        story.append(_p(f"The {notice.deciding_body} will consider your licence ({notice.licence_numbers}) at a "
                        f"hearing on {_when(notice.starts_at)}.", body))
    else:
        story += _change(notice, body)
    if notice.kind in ("hearing", "new_date"):
        story += _case(notice, body, h2)
    if notice.contact_officer:
        story += [_p("Contact officer", h2), _p(notice.contact_officer, body)]
    if notice.contact is not None:
        story += contact_paragraphs(notice.contact, body, h2)
    doc.build(story)
    return buffer.getvalue()
