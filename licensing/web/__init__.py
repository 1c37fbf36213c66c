"""Web plumbing every area shares: page chrome, form widgets and fields, formatting, downloads,
security hooks, the form-post step and paging."""
