"""Safeguarding information and data protection: non-conviction information, the national
register's match overrides and incoming s.5 concerns, the information-sharing log, and subject
access as a reviewed disclosure."""
