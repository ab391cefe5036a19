"""User accounts (用户) and their role grants (授权)."""
