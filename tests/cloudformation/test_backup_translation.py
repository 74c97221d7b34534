"""AWS Backup plans and selections, and FSx deployment types, read from a template (templates/storage-backup.yaml)."""
from __future__ import annotations

import os

from wavalidate.cloudformation import load_template
from wavalidate.engine import check_file

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates", "storage-backup.yaml")


def test_selections_fold_into_their_plan():
    resources = load_template(TEMPLATE).data["resources"]
    plan = resources["DailyPlan"]
    assert plan["resources"] == ["HomeFileSystem"]  # the !Sub ARN of the file system
    assert plan["selection_tags"] == {"backup": "daily"}
    assert plan["rules"] == [{"schedule": "cron(0 5 ? * * *)", "retention": "35d", "copy_to_region": "eu-central-1"}]


def test_fsx_deployment_types():
    resources = load_template(TEMPLATE).data["resources"]
    assert resources["ScratchFileSystem"]["deployment"] == "scratch_2"
    assert resources["ProjectFileSystem"]["deployment"] == "persistent_2"
    assert resources["SharedFiles"]["deployment"] == "single_az"


def test_rel904_honours_the_plan_and_skips_scratch(rules):
    flagged = {f.resource for f in check_file(TEMPLATE, rules) if f.code == "REL904"}
    # covered by resource (HomeFileSystem) or by tag (ProjectFileSystem); scratch cannot be backed up
    assert flagged == {"SharedFiles"}
