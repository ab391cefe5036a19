"""e访通 counter client (PySide6)."""
