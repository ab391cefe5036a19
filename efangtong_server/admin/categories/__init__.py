"""Content categories (内容分类): two levels, codes stable once given."""
