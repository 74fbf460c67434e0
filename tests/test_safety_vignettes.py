"""`make safety` inside `make test`: every vignette through REST, fresh and mid-walk-through.

The sets in tests/safety/ were written for testing and are never trained on.
Fails on any missed red flag, any silent reply, or a false-alarm rate above 5%;
the figures go to reports/safety.json and reports/safety.md.
"""

import pytest

from scripts import safety

pytestmark = pytest.mark.server


def test_no_red_flag_missed_and_few_false_alarms(stack):
    report = safety.run(stack.url, safety.DEFAULT_SETS)
    safety.write(report)
    print(safety.markdown(report))
    assert [m["text"] for m in report["missed"]] == []
    assert [s["text"] for s in report["silent"]] == []
    assert report["false_alarm_rate"] <= safety.MAX_FALSE_ALARM_RATE, report["false_alarms"]
    assert all(row["emergency_advice"] == 1.0 for name, row in report["categories"].items()
               if name == "cauda_equina")
