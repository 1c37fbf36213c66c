"""Outside services behind interfaces: the outbox's transports (SMTP, GOV.UK Notify) and the
lookups officers use (DVLA Vehicle Enquiry, DVSA MOT history, DBS Update Service). Each is off
until its settings are given, is tested offline against recorded responses, and never decides
anything by itself: a lookup's answer becomes a check that an officer records."""
