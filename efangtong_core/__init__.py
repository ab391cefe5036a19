"""e访通 core: domain rules and data model, free of Qt and of any web framework."""
