"""Who may call which route, within which org units: one dependency for every route."""
