"""Writes in reviews: cases, conviction guidance and campaigns, registers and immediate action."""
