"""Versioned policy data and the pure functions that apply it."""
