"""A plan as steps of the dependency graph: each platform builds its own (`Platform.steps`)."""

from __future__ import annotations

from bulkops.engine._graph import Step
from bulkops.planner import Plan
from bulkops.registry import platform_named


def steps_of(plan: Plan) -> list[Step]:
    return platform_named(plan.platform).steps(plan)


__all__ = ["steps_of"]
