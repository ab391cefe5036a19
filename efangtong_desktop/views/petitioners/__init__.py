"""The 信访人 page: petitioner records (search, profile, contacts, timeline) and their analytics."""
