"""pii-firewall: streaming PII detection and egress firewall for Chinese personal information."""

__version__ = "0.1.0"
