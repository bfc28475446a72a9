"""Policy: what each destination may receive, and the decision for one event."""

from firewall.policy.decision import Decision, decide
from firewall.policy.model import PRECEDENCE, Action, Operator, Policy, load_policy

__all__ = ["PRECEDENCE", "Action", "Decision", "Operator", "Policy", "decide", "load_policy"]
