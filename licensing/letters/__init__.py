"""Letter builders: pure functions from data to PDF bytes (ReportLab)."""
