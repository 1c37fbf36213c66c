"""Letters: builders, pure functions from data to PDF bytes (ReportLab), and `issue`, the one way
a letter is stored, hashed and e-mailed."""
