"""The audit trail: who read or changed which record, when, from where."""
