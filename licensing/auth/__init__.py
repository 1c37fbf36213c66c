"""Signing in: passwords, the second factor, sessions and account recovery."""
