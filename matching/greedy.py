"""First come, first served: referrals in id order, each takes its best mentor with room."""

import numpy as np

from matching.problem import Problem, hour_units

Choice = dict[int, tuple[int, int]]  # need index -> (mentor index, score)


def greedy_choice(problem: Problem) -> Choice:
    """Give each referral in turn its best feasible mentor with caseload and hours left."""
    sizes, capacity, exact = hour_units(problem)
    if not exact:
        return _in_decimals(problem)
    slots = np.array(problem.slots(), dtype=np.int64)
    free = np.array(capacity, dtype=np.int64)
    # Best score first, lower mentor index on ties: argmax of score * m - index.
    m = len(problem.mentors)
    keys = problem.score * (m + 1) - np.arange(m)[None, :]
    choice: Choice = {}
    for i, size in enumerate(sizes):
        room = problem.feasible[i] & (slots > 0) & (free >= size)
        if room.any():
            j = int(np.argmax(np.where(room, keys[i], np.iinfo(np.int64).min)))
            slots[j] -= 1
            free[j] -= size
            choice[i] = (j, int(problem.score[i, j]))
    return choice


def _in_decimals(problem: Problem) -> Choice:
    """The same, with hours compared in exact decimals."""
    slots, free = problem.slots(), problem.free_hours()
    choice: Choice = {}
    for i, need in enumerate(problem.needs):
        for j, score in problem.candidates(i):
            if slots[j] > 0 and need.hours_per_week <= free[j]:
                slots[j] -= 1
                free[j] -= need.hours_per_week
                choice[i] = (j, score)
                break
    return choice
