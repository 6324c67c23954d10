"""scripts/profile_turn.py's bookkeeping: each part's own time, and a report whose parts add up to the turn."""

import time

from scripts.profile_turn import Clock, report


def test_a_part_inside_another_is_taken_out_of_the_outer_one():
    clock = Clock()
    with clock.timing("tracker store"):
        time.sleep(0.02)
        with clock.timing("event broker"):
            time.sleep(0.05)
    with clock.timing("event broker"):
        time.sleep(0.01)
    assert 0.06 <= clock.parts["event broker"] < 0.06 + 0.05
    assert 0.02 <= clock.parts["tracker store"] < 0.02 + 0.04  # not the 0.07 the outer part lasted


def test_the_report_prints_p50s_and_the_rest_of_the_turn_as_other():
    turns = [{"turn": 0.100, "nlu:DIETClassifier": 0.010, "action call:a run": 0.030},
             {"turn": 0.200, "nlu:DIETClassifier": 0.020, "action call:a run": 0.050},
             {"turn": 0.300, "nlu:DIETClassifier": 0.030, "action call:a run": 0.070}]
    text = report({("en", "search"): turns}, {("en", "search"): [2048, 4096]}, top=5)
    lines = text.strip().splitlines()
    assert lines[0] == "en search: turn p50 200.0 ms (3 turns; action requests of 2, 4 KB)"
    assert lines[1].split() == ["130.0", "ms", "65.0%", "other"]  # 200 - 20 - 50
    assert lines[2].split() == ["50.0", "ms", "25.0%", "action", "call:a", "run"]
    assert lines[3].split() == ["20.0", "ms", "10.0%", "nlu:DIETClassifier"]
