"""The Dask engine: one task per shard on a 2-worker LocalCluster on 127.0.0.1, one output file per shard.

Checks that every article comes out once, bad records become failure lines, outputs are byte-for-byte
deterministic, a re-run skips completed shards (and redoes a changed one), the model is loaded once per
worker process, and manifests list shards. Without dask installed the module skips with a reason, and
fails under CI=true.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from sitrep.errors import SitrepError
from sitrep.sources import Failure


def _need_dask() -> None:
    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:
        message = f"dask[distributed] is not installed ({exc}): pip install -e '.[dev]' or '.[dask]'"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: a skipped test is a failure)")
        pytest.skip(message)


# Twenty short crisis reports written for this test: (place, headline event, killed, displaced, source).
EVENTS = [
    ("Beira", "Cyclone", 14, 4_500, "the National Disaster Management Institute"),
    ("Goma", "Fighting", 23, 12_000, "the United Nations"),
    ("Maiduguri", "Floods", 30, 150_000, "the International Organization for Migration"),
    ("Kassala", "Floods", 9, 2_300, "the Sudanese Red Crescent"),
    ("Sittwe", "Storm", 6, 8_000, "the World Food Programme"),
    ("Kharkiv", "Shelling", 11, 1_200, "regional governor Oleh Syniehubov"),
    ("Aden", "Clashes", 17, 3_400, "the Yemeni health ministry"),
    ("Djibo", "Attack", 40, 20_000, "the Burkinabe army"),
    ("Mosul", "Fighting", 25, 60_000, "the International Committee of the Red Cross"),
    ("Kandahar", "Earthquake", 12, 900, "the Afghan Red Crescent"),
    ("Dhaka", "Fire", 45, 5_000, "the fire service"),
    ("Bangui", "Clashes", 8, 7_500, "the UN refugee agency"),
    ("Tripoli", "Fighting", 19, 14_000, "the Libyan Red Crescent"),
    ("Mogadishu", "Bombing", 32, 600, "police spokesman Abdifatah Aden"),
    ("Port-au-Prince", "Gang violence", 21, 10_000, "the International Organization for Migration"),
    ("Karachi", "Heatwave", 27, 1_500, "the Edhi Foundation"),
    ("Juba", "Floods", 5, 35_000, "the UN humanitarian office"),
    ("Idlib", "Air strikes", 16, 25_000, "the White Helmets"),
    ("Kinshasa", "Landslide", 13, 2_000, "the provincial governor"),
    ("Cox's Bazar", "Monsoon rains", 10, 6_000, "the UN refugee agency"),
]


def report(i: int) -> dict:
    place, event, killed, displaced, source = EVENTS[i]
    text = (f"At least {killed} people were killed in {place} on Monday, {source} said. "
            f"More than {displaced:,} people have been displaced and about {killed * 3} were injured, "
            f"according to {source}. Aid agencies said up to {displaced * 2:,} people need help.\n\n"
            f"Report {i}: roads and bridges around {place} were damaged.")
    return {"id": f"report-{i:02d}", "title": f"{event} kill {killed} in {place}", "text": text,
            "published": f"2024-05-{1 + i % 28:02d}"}


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> list[str]:
    _need_dask()
    folder = tmp_path_factory.mktemp("shards")
    paths = []
    for n in range(4):
        lines = [json.dumps(report(5 * n + i)) for i in range(5)]
        if n == 2:  # a line that is not JSON, and a record without text: two failures, the shard goes on
            lines.insert(2, '{"id": "broken", "text": "cut')
            lines.insert(4, json.dumps({"id": "no-text", "title": "Nothing here"}))
        path = folder / f"part-{n:04d}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def first_run(shards, tmp_path_factory):
    """``run()`` starting its own 2-worker LocalCluster on loopback."""
    from sitrep import distributed

    out = tmp_path_factory.mktemp("out1")
    seen: list[dict] = []
    summaries = distributed.run(shards, str(out), workers=2, batch_size=4, on_done=seen.append)
    return out, summaries, seen


@pytest.fixture(scope="module")
def cluster(shards):
    """A second cluster, reached by address as a remote scheduler would be."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c.scheduler_address


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.jsonl"))}


def test_every_article_comes_out_once_and_bad_records_are_failures(shards, first_run):
    from sitrep.distributed import iter_outputs, output_name

    out, summaries, seen = first_run
    assert len(summaries) == 4 and seen == summaries  # on_done saw each shard as it completed
    by_shard = {s["shard"]: s for s in summaries}
    assert set(by_shard) == set(shards)
    for shard in shards:
        s = by_shard[shard]
        assert s["output"] == str(out / output_name(shard)) and Path(s["output"]).is_file()
        assert (s["articles"], s["failures"], s["skipped"]) == (5, 2 if shard.endswith("0002.jsonl") else 0, False)
        assert s["seconds"] > 0
    assert sorted(os.listdir(out)) == sorted(output_name(s) for s in shards)  # no temporary files left

    items = list(iter_outputs([s["output"] for s in summaries]))
    results = [r for r in items if not isinstance(r, Failure)]
    failures = [r for r in items if isinstance(r, Failure)]
    ids = [r["article"]["id"] for r in results]
    assert sorted(ids) == [f"report-{i:02d}" for i in range(20)]  # each article once
    assert all(r["schema"] == "sitrep/1" for r in results)
    killed = {r["article"]["id"]: [f for f in r["figures"] if f["category"] == "killed"] for r in results}
    assert killed["report-02"] and killed["report-02"][0]["low"] == 30
    bad = shards[2]
    assert {(f.input, f.code) for f in failures} == {(f"{bad}:3", "E108"), (f"{bad}:5", "E108")}
    assert all(f.retry == f.input for f in failures)
    assert sorted(map(repr, iter_outputs([out]))) == sorted(map(repr, items))  # a directory reads the same


def test_model_loads_once_per_worker(first_run):
    _out, summaries, _seen = first_run
    pids = {s["pid"] for s in summaries}
    assert 1 <= len(pids) <= 2 and os.getpid() not in pids  # ran in the worker processes
    assert all(s["extractors_built"] == 1 for s in summaries)  # 4 shards, at most 2 model loads


def test_outputs_are_deterministic_and_a_rerun_skips_completed_shards(shards, first_run, cluster,
                                                                       tmp_path):
    from sitrep import distributed

    out, _summaries, _seen = first_run
    before = outputs(out)
    again = distributed.run(shards, str(tmp_path / "out2"), scheduler=cluster, batch_size=4)
    assert outputs(tmp_path / "out2") == before  # same names, same bytes
    assert all(s["extractors_built"] == 1 for s in again)

    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    resumed = distributed.run(shards, str(out), scheduler=cluster, batch_size=4)
    assert all(s["skipped"] for s in resumed) and len(resumed) == 4
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes
    assert sum(s["articles"] for s in resumed) == 20 and sum(s["failures"] for s in resumed) == 2

    # a changed shard is extracted again (overwriting its output), the others are skipped
    changed = Path(tmp_path / "changed.jsonl")
    changed.write_text(Path(shards[0]).read_text(encoding="utf-8") + json.dumps(report(0) | {"id": "extra"})
                       + "\n", encoding="utf-8")
    os.replace(changed, shards[0])
    redo = {s["shard"]: s for s in distributed.run(shards, str(out), scheduler=cluster, batch_size=4)}
    assert [s["skipped"] for s in (redo[p] for p in shards)] == [False, True, True, True]
    assert redo[shards[0]]["articles"] == 6
    assert len(list(out.glob("*.jsonl"))) == 4


def test_manifest_lists_shards_relative_to_its_folder(shards, cluster, tmp_path):
    from sitrep import distributed

    folder = Path(shards[0]).parent
    manifest = folder / "manifest.txt"
    manifest.write_text("# shards for the test\n\npart-0001.jsonl\n  part-000[23].jsonl  \n"
                        f"{shards[1]}\n# part-0000.jsonl is left out\n", encoding="utf-8")
    listed = distributed.read_manifest(manifest)
    assert listed == shards[1:]  # relative, glob (sorted), absolute duplicate dropped; comments ignored
    summaries = distributed.run(listed, str(tmp_path / "m"), scheduler=cluster, batch_size=4)
    assert sorted(s["shard"] for s in summaries) == shards[1:]
    assert sum(s["articles"] for s in summaries) == 15

    # a glob matching nothing is kept: its task records "not found" (and is tried again on every run)
    manifest.write_text("lost-*.jsonl\n", encoding="utf-8")
    lost = str(folder / "lost-*.jsonl")
    assert distributed.read_manifest(manifest) == [lost]
    for _ in range(2):
        (s,) = distributed.run([lost], str(tmp_path / "m"), scheduler=cluster)
        assert (s["articles"], s["failures"], s["skipped"]) == (0, 1, False)
    (failure,) = distributed.iter_outputs([s["output"]])
    assert (failure.input, failure.code) == (lost, "E107")

    nothing = tmp_path / "empty.txt"
    nothing.write_text("# nothing\n\n", encoding="utf-8")
    assert distributed.read_manifest(nothing) == []
    with pytest.raises(SitrepError) as err:
        distributed.read_manifest(tmp_path / "absent.txt")
    assert err.value.code == "E107"


def test_incomplete_output_is_refused(first_run, tmp_path):
    from sitrep.distributed import iter_outputs

    out, summaries, _seen = first_run
    whole = Path(summaries[0]["output"]).read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(whole[:-1]))  # the footer is missing
    with pytest.raises(SitrepError) as err:
        list(iter_outputs([cut]))
    assert err.value.code == "E503"


def test_missing_dask_names_the_extra(monkeypatch, tmp_path):
    from sitrep import distributed

    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(SitrepError) as err:
        distributed.run([str(tmp_path / "x.jsonl")], str(tmp_path / "out"))
    assert err.value.code == "E501" and "sitrep[dask]" in str(err.value)


def test_unreachable_scheduler_is_a_clear_error(shards, tmp_path):
    import dask

    from sitrep import distributed

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(SitrepError) as err:
        distributed.run(shards[:1], str(tmp_path / "out"), scheduler="tcp://127.0.0.1:9")
    assert err.value.code == "E504" and "tcp://127.0.0.1:9" in str(err.value)
