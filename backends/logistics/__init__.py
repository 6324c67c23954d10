"""Logistics: carriers' tracking events for the marketplace's parcels."""
