"""Synthetic demo data for 伊金霍洛旗: names, places, petition texts, and `seed.seed_demo` that fills a database."""
