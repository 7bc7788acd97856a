"""Pure refund computations and the Excel/CSV writers for the refund report."""
