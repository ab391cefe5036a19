"""System parameters (系统参数): known keys with types, ranges and Chinese descriptions; values in the database."""
