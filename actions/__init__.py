"""Silk Road Assistant action server: one module per journey, backends via typed clients."""
