"""Review cases, conviction guidance, the complaints and enforcement-check registers."""
