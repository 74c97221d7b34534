"""ARNs and the accounts they name: parsing ARN text, and the ARNs and accounts of the file's resources.

Accounts come from `account` resources (`account_id`); an account without one
gets a placeholder id in file order (000000000001, ...), so two accounts stay
two accounts. A resource without `account` belongs to the only `account`
resource when there is exactly one, else to the placeholder account
000000000000. Regions come from the resource (or its subnets and VPC), else
the first of the file's `regions`, else us-east-1. The policy evaluator uses
only the text half of this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Tuple

if TYPE_CHECKING:
    from .model import Architecture, Resource

PARTITION = "aws"
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
OUTSIDE_ACCOUNT = "999999999999"

_ACCOUNT_ID = re.compile(r"\d{12}")
_IAM_ARN = re.compile(r"arn:aws[a-z-]*:(iam|sts)::(\d{12}):(.+)")


# -- ARN text ------------------------------------------------------------------------------------------

def is_account_id(text: str) -> bool:
    return _ACCOUNT_ID.fullmatch(text) is not None


def split(text: str) -> Optional[Tuple[str, ...]]:
    """The six colon-separated components of an ARN (the last may hold colons), or None."""
    parts = tuple(text.split(":", 5))
    return parts if len(parts) == 6 and parts[0] == "arn" else None


def account_of(arn: str) -> Optional[str]:
    """The account field of an ARN when it holds a 12-digit account id."""
    parts = split(arn)
    return parts[4] if parts is not None and is_account_id(parts[4]) else None


def iam_parts(text: str) -> Optional[Tuple[str, str, str]]:
    """(service, account, resource) of an IAM or STS ARN (`arn:aws:iam::111122223333:role/x`), or None."""
    found = _IAM_ARN.fullmatch(text)
    return (found.group(1), found.group(2), found.group(3)) if found else None


def principal_account(value: str) -> Optional[str]:
    """The account a Principal `AWS` value names: an account id, or the account of an IAM or STS ARN."""
    if is_account_id(value):
        return value
    parts = iam_parts(value)
    return parts[1] if parts else None


def root_account(value: str) -> Optional[str]:
    """The account of `arn:aws:iam::<account>:root`, or None."""
    parts = iam_parts(value)
    return parts[1] if parts and parts[0] == "iam" and parts[2] == "root" else None


def is_group(value: str) -> bool:
    parts = iam_parts(value)
    return parts is not None and parts[0] == "iam" and parts[2].startswith("group/")


def is_named_principal(value: str) -> bool:
    """An IAM user or role ARN without wildcards: one principal, not a pattern or an account."""
    parts = iam_parts(value)
    return (parts is not None and parts[0] == "iam" and parts[2].startswith(("user/", "role/"))
            and len(parts[2].split("/", 1)[1]) > 0 and "*" not in value)


# -- accounts of the file ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    """The account a resource lives in: its id and, when the file has one, the `account` resource."""

    id: str
    resource: Optional[Resource] = None

    @property
    def known(self) -> bool:
        """The id is the account's real one (not a placeholder)."""
        return self.resource is not None and bool(self.resource.get("account_id"))

    @property
    def management(self) -> bool:
        return bool(self.resource is not None and self.resource.get("management"))


class Accounts:
    """Account ids of the file, real or placeholder, indexed once."""

    def __init__(self, arch: Architecture) -> None:
        self.arch = arch
        self.by_name: dict[str, Account] = {}
        n = 0
        for res in arch.of_type("account"):
            if res.get("account_id"):
                self.by_name[res.name] = Account(str(res.get("account_id")), res)
            else:
                n += 1
                self.by_name[res.name] = Account(f"{n:012d}", res)
        self.by_id = {a.id: a for a in self.by_name.values()}
        only = list(self.by_name.values())
        self.default = only[0] if len(only) == 1 else Account(DEFAULT_ACCOUNT)
        used = set(self.by_id) | {DEFAULT_ACCOUNT}
        outside = int(OUTSIDE_ACCOUNT)
        while f"{outside:012d}" in used:
            outside -= 1
        self.outside = f"{outside:012d}"

    def of(self, res: Resource) -> Account:
        if res.type == "account":
            return self.by_name[res.name]
        name = res.get("account")
        return self.by_name.get(name, self.default) if name else self.default

    def get_id(self, account_id: str) -> Account:
        return self.by_id.get(account_id) or Account(account_id)


def region_of(arch: Architecture, res: Resource) -> str:
    return arch.region_of(res) or next(iter(arch.regions), None) or DEFAULT_REGION


def org_path(arch: Architecture, account: Resource) -> list[Resource]:
    """The OUs above an account, root first (cycles are cut)."""
    chain: list[Resource] = []
    seen: set[str] = set()
    ou = arch.get(account.get("org_unit"))
    while ou is not None and ou.name not in seen:
        seen.add(ou.name)
        chain.append(ou)
        ou = arch.get(ou.get("parent"))
    return list(reversed(chain))


def org_id(arch: Architecture, account: Optional[Account]) -> Optional[str]:
    """The organization id of an account, from the `org_id` of an OU above it."""
    if account is None or account.resource is None:
        return None
    for ou in reversed(org_path(arch, account.resource)):
        if ou.get("org_id"):
            return ou.get("org_id")
    return None


# -- ARNs of the file's resources ---------------------------------------------------------------------------

def principal_arn(arch: Architecture, res: Resource, accounts: Optional[Accounts] = None) -> str:
    """The ARN of an iam_role or iam_user of the file."""
    accounts = accounts or Accounts(arch)
    kind = {"iam_role": "role", "iam_user": "user"}[res.type]
    return f"arn:{PARTITION}:iam::{accounts.of(res).id}:{kind}/{res.name}"


FORMS = {
    "sqs_queue": "arn:{p}:sqs:{r}:{a}:{n}",
    "sns_topic": "arn:{p}:sns:{r}:{a}:{n}",
    "dynamodb_table": "arn:{p}:dynamodb:{r}:{a}:table/{n}",
    "lambda_function": "arn:{p}:lambda:{r}:{a}:function:{n}",
    "kinesis_stream": "arn:{p}:kinesis:{r}:{a}:stream/{n}",
    "firehose_stream": "arn:{p}:firehose:{r}:{a}:deliverystream/{n}",
    "step_function": "arn:{p}:states:{r}:{a}:stateMachine:{n}",
    "rds_instance": "arn:{p}:rds:{r}:{a}:db:{n}",
    "aurora_cluster": "arn:{p}:rds:{r}:{a}:cluster:{n}",
    "ec2_instance": "arn:{p}:ec2:{r}:{a}:instance/{n}",
    "cloudwatch_alarm": "arn:{p}:cloudwatch:{r}:{a}:alarm:{n}",
    "iam_role": "arn:{p}:iam::{a}:role/{n}",
    "iam_user": "arn:{p}:iam::{a}:user/{n}",
    "iam_group": "arn:{p}:iam::{a}:group/{n}",
    "iam_policy": "arn:{p}:iam::{a}:policy/{n}",
}


def resource_arn(arch: Architecture, res: Resource, key: Optional[str] = None,
                 accounts: Optional[Accounts] = None) -> Optional[str]:
    """The ARN of a resource of the file (an S3 object with `key`), or None for types without one here."""
    accounts = accounts or Accounts(arch)
    if res.type == "s3_bucket":
        return f"arn:{PARTITION}:s3:::{res.name}" + (f"/{key}" if key is not None else "")
    form = FORMS.get(res.type)
    if form is None or key is not None:
        return None
    return form.format(p=PARTITION, r=region_of(arch, res), a=accounts.of(res).id, n=res.name)
