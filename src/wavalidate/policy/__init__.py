"""Offline AWS IAM policy evaluation and linting; see `evaluator` for the supported subset."""
from __future__ import annotations

from .conditions import SUPPORTED_OPERATORS
from .effective import EffectiveAllow, effective_allow
from .evaluator import CheckedStatement, EvaluationResult, PolicySet, check_statement, evaluate
from .lint import Problem, lint_identity_policy, lint_resource_policy, lint_trust_policy
from .model import Condition, Decision, Policy, PolicyError, PrincipalEntry, Statement
from .parse import parse_policy
from .request import PrincipalKind, Request, describe_principal

__all__ = [
    "CheckedStatement",
    "Condition",
    "Decision",
    "EffectiveAllow",
    "EvaluationResult",
    "Policy",
    "PolicyError",
    "PolicySet",
    "PrincipalEntry",
    "PrincipalKind",
    "Problem",
    "Request",
    "SUPPORTED_OPERATORS",
    "Statement",
    "check_statement",
    "describe_principal",
    "effective_allow",
    "evaluate",
    "lint_identity_policy",
    "lint_resource_policy",
    "lint_trust_policy",
    "parse_policy",
]
