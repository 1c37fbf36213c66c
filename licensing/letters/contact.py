"""Who the holder contacts about a notice, and who signed it: the council's address, telephone and
e-mail (configuration) and the officer's post and delegation (policy data, `data/delegations.json`).
Pure data; `contact_from_config(config)` builds it from the app's settings."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph


@dataclass(frozen=True)
class CouncilContact:
    name: str
    address: str
    telephone: str
    email: str

    def lines(self):
        return [line for line in (self.address, f"Telephone: {self.telephone}" if self.telephone else "",
                                  f"E-mail: {self.email}" if self.email else "") if line]


def contact_from_config(config):
    return CouncilContact(name=config["COUNCIL_NAME"], address=config.get("COUNCIL_ADDRESS", ""),
                          telephone=config.get("COUNCIL_TELEPHONE", ""), email=config.get("COUNCIL_EMAIL", ""))


def contact_paragraphs(contact, style, heading_style):
    """The 'Contact us' block every notice ends with."""
    story = [Paragraph("Contact us", heading_style),
             Paragraph(escape(f"{contact.name} licensing team"), style)]
    story += [Paragraph(escape(line), style) for line in contact.lines()]
    return story
