"""Hearings: listing cases, notices, bundles, attendance, the panel's proposal and the decision."""
