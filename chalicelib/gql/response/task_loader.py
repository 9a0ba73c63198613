"""Request-scoped batch loading of tasks: one TaskRepository.get_many (a BatchGetItem) per page, not one
read per incident. The Chalice view is synchronous, so this replaces async DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.domain.response.ports import TaskRepository
from chalicelib.domain.response.tasks import CrewTask


class TaskLoader:
    def __init__(self, tasks: TaskRepository) -> None:
        self._tasks = tasks
        self._loaded: dict[str, CrewTask] = {}
        self._asked: set[str] = set()

    def prime(self, task_ids: Iterable[str]) -> None:
        """Load, in one call, every task of `task_ids` not asked for before in this request."""
        missing = [task_id for task_id in dict.fromkeys(task_ids) if task_id not in self._asked]
        if missing:
            self._loaded.update(self._tasks.get_many(missing))
            self._asked.update(missing)

    def tasks_of(self, task_ids: list[str]) -> list[CrewTask]:
        """The tasks of `task_ids` that exist, in that order (loading any not primed)."""
        self.prime(task_ids)
        return [self._loaded[task_id] for task_id in task_ids if task_id in self._loaded]
