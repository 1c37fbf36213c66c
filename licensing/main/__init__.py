"""The start page, the officer's home page and the health check."""
