"""srkg's interactive network views, rendered with pyvis."""
