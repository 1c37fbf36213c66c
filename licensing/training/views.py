"""Training pages."""
