"""Identity verification (联网核验): name + ID number against the public-security service, cached, audited."""
