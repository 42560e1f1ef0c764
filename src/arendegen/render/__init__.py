"""Rendering: the only place that knows Word (docx) and, later, LibreOffice (pdf)."""
