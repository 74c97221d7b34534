"""Offline AWS IAM policy evaluation and linting; see `evaluator` for the supported subset."""
from __future__ import annotations

from . import globs, s3public
from .conditions import SUPPORTED_OPERATORS
from .effective import EffectiveAllow, effective_allow
from .evaluator import EvaluationResult, PolicySet, evaluate
from .lint import Problem, lint_identity_policy, lint_resource_policy, lint_trust_policy
from .model import Condition, Decision, Policy, PolicyError, PrincipalEntry, Reason, Statement, Why
from .parse import parse_policy
from .request import PrincipalKind, Request, describe_principal
from .statements import CheckedStatement, check_statement

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
    "Reason",
    "Request",
    "SUPPORTED_OPERATORS",
    "Statement",
    "Why",
    "check_statement",
    "describe_principal",
    "effective_allow",
    "evaluate",
    "globs",
    "lint_identity_policy",
    "lint_resource_policy",
    "lint_trust_policy",
    "parse_policy",
    "s3public",
]
