"""Escrow: the buyer's payment held by the platform until receipt, refund or a dispute's resolution."""
