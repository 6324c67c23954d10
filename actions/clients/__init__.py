"""Typed HTTP clients of the marketplace backends: the only way actions reach them."""
