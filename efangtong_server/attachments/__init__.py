"""Attachment bytes: resumable chunked uploads into a content-addressed store, ranged downloads (DESIGN.md §2, §3)."""
