"""Writes in reviews: cases, conviction guidance and campaigns, and the registers."""
