"""The 查询 page: search the local replica and open a case."""
