"""Registered counter PCs (终端设备): see them, revoke and restore them."""
