"""e访通 central server (FastAPI)."""
