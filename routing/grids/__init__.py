"""Jiangyin's grid map (17 first-level, 271 second-level, 1,558 third-level grids) and address resolution."""
