"""Analytics routes (综合研判): the dashboard figures and the cases behind each, scoped by role and unit."""
