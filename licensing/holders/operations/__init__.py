"""Writes to the register: holders, vehicles, checks and records, and licences with their decisions."""
