"""ID card readers: one event interface; PC/SC (pyscard), vendor SDK (ctypes) and manual-entry backends."""
