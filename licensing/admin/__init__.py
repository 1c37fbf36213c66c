"""Administration: staff accounts, roles and clearance."""
