"""The benchmark scripts' arithmetic: serial tables and the scale-out ratios (no timing is asserted)."""

from scripts.bench_scale_out import ratios
from scripts.bench_serial import table
from scripts.load_test import LoadReport


def report(latencies, wall_time_s):
    result = LoadReport(wall_time_s=wall_time_s)
    result.turns = result.answered = len(latencies)
    result.latencies_ms = list(latencies)
    return result


def test_the_serial_table_has_each_language_and_all():
    lines = table({"silkroad": {"en": [10.0, 20.0, 30.0], "zh": [40.0]}, "stock": {"en": [5.0, 7.0]}})
    rows = {line.split()[0] + " " + line.split()[1]: line.split()[2:] for line in lines[1:]}
    assert rows["silkroad all"][:2] == ["4", "25.0"]  # 4 turns, median of 10, 20, 30, 40
    assert rows["silkroad zh"] == ["1", "40.0", "40.0", "40.0"]
    assert rows["stock en"][:2] == ["2", "6.0"]


def test_ratios_include_the_serial_comparison_when_both_ran():
    reports = {"silkroad-1": report([100.0] * 10, 2.0), "stock": report([50.0] * 10, 1.0),
               "silkroad-1 serial": report([60.0] * 4, 1.0), "stock serial": report([40.0] * 4, 1.0)}
    lines = ratios(reports)
    serial = next(line for line in lines if line.startswith("serial: one worker / stock"))
    assert serial.split()[5:7] == ["1.00", "1.50"]  # same turns/s, p50 60 / 40
    one = next(line for line in lines if line.startswith("one worker / stock bot"))
    assert one.split()[5:7] == ["0.50", "2.00"]
    assert not any(line.startswith("two workers") for line in lines)  # not run: no ratio


def test_the_serial_phase_plays_every_language_one_buyer_at_a_time(monkeypatch):
    from scripts import bench_scale_out

    calls = []

    async def fake_run_load(url, buyers, conversations, scenarios, languages, **kwargs):
        calls.append((buyers, conversations, tuple(languages)))
        result = report([10.0 * len(calls)] * 2, 0.5)
        result.conversations = conversations
        result.errors = {"timeout": 1} if languages == ["ru"] else {}
        return result

    monkeypatch.setattr(bench_scale_out, "run_load", fake_run_load)
    merged = bench_scale_out.serial("http://x", 3, "silkroad", ["en", "ru"], timeout=5.0)
    assert calls == [(1, 3, ("en",)), (1, 3, ("ru",))]
    assert merged.latencies_ms == [10.0, 10.0, 20.0, 20.0] and merged.turns == 4 and merged.wall_time_s == 1.0
    assert merged.errors == {"timeout": 1} and merged.conversations == 6


def test_median_ratios_over_alternated_rounds():
    from scripts.bench_scale_out import median_ratios

    rounds = [{"silkroad-1": report([100.0] * 10, wall), "stock": report([50.0] * 10, 1.0),
               "silkroad-1 serial": report([p50] * 4, 1.0), "stock serial": report([40.0] * 4, 1.0)}
              for wall, p50 in ((2.0, 60.0), (1.0, 40.0), (4.0, 80.0))]
    lines = median_ratios(rounds)
    one = next(line for line in lines if line.startswith("one worker / stock bot"))
    assert one.split()[5:7] == ["0.50", "2.00"]  # turns/s 0.50, 1.00, 0.25: median 0.50; p50 2.00 each round
    assert one.split("   ")[-1].strip() == "0.50/2.00, 1.00/2.00, 0.25/2.00"
    serial = next(line for line in lines if line.startswith("serial: one worker / stock"))
    assert serial.split()[5:7] == ["1.00", "1.50"]  # p50 1.50, 1.00, 2.00: median 1.50
    assert not any(line.startswith("two workers") for line in lines)
