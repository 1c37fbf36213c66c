"""Reads of the register: the holder search and the holder page."""
