"""Letters as PDFs: pure builders that take plain values and return bytes."""
