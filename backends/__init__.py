"""The reference marketplace: catalog, orders, logistics, escrow and import rules."""
