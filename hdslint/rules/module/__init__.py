"""Rules on reusable modules: what the inputs a caller gives may make of their resources."""
