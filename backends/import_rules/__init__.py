"""Import rules of the partner countries and the landed-cost estimator."""
