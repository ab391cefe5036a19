"""系统设置: the administrators' screens, one small controller per tab."""
