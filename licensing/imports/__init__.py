"""Bulk import and export of the register (CSV), and the staff download of the register."""
