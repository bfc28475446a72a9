"""Transport: Kafka in and out. Wiring only — detection, policy and redaction live elsewhere."""
