"""Petitioners\x27 personal records (信访人), every read audited."""
