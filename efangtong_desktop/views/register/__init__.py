"""The 登记 page: the registration form, its draft autosave, card reading, receipts and corrections."""
