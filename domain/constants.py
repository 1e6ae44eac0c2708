"""Small shared facts that more than one layer states: file formats, sizes, training audiences."""

from __future__ import annotations

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEGABYTE = 1_048_576
AUDIENCES = ("councillors", "officers")  # who a training pack is written for
