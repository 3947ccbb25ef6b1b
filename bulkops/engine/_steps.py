"""A plan as steps of the dependency graph: each platform builds its own (`Platform.steps`)."""

from __future__ import annotations

from bulkops.planner._graph import Step
from bulkops.planner._plan import Plan
from bulkops.platforms import platform_named

UNCHANGED_NOTE = "the platform already has it as the row says"


def steps_of(plan: Plan) -> list[Step]:
    return platform_named(plan.platform).steps(plan)


__all__ = ["UNCHANGED_NOTE", "steps_of"]
