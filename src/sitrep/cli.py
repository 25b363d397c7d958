"""The ``sitrep`` command. Thin commands over the same functions as the Python API.

Exit codes for batch commands: 0 every input succeeded, 1 some failed, 2 all failed.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from sitrep import settings
from sitrep.errors import SitrepError
from sitrep.sources import Failure, iter_inputs

CATEGORIES = ["killed", "injured", "missing", "detained", "kidnapped", "displaced", "refugees", "returnees",
              "evacuated", "sheltered", "homeless", "sick", "affected", "in_need", "population", "fighters",
              "troops", "houses_destroyed", "houses_damaged", "territory", "funding", "other"]


def _db_option(f):
    return click.option("--db", default=lambda: settings.get("db"), show_default="sitrep.db",
                        help="SQLite store path.")(f)


def _published_option(f):
    return click.option("--published", metavar="YYYY-MM-DD", default=None,
                        help="Publication date for plain-text input (else taken from a YYYY-MM-DD file name).")(f)


def _aliases_option(f):
    return click.option("--aliases", multiple=True, type=click.Path(dir_okay=False),
                        help="Extra actor alias file (TSV: name, kind, aliases separated by |).")(f)


def _exit_code(ok: int, failed: int) -> int:
    if failed == 0 and ok > 0:
        return 0
    return 2 if ok == 0 else 1


def _warn(failure: Failure) -> None:
    click.echo(f"sitrep: error: {failure}", err=True)


def _extractor(aliases: tuple[str, ...]):
    from sitrep.api import Extractor

    try:
        return Extractor(aliases=list(aliases) or None)
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitrep")
def main() -> None:
    """sitrep: who says how many were killed, displaced or in need, where, when and how sure."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--jsonl", is_flag=True, default=True, help="One JSON object per article per line (default).")
@click.option("--pretty", is_flag=True, help="Indented JSON instead of one line per article.")
@_published_option
@_aliases_option
def extract(paths: tuple[str, ...], jsonl: bool, pretty: bool, published: str | None,
            aliases: tuple[str, ...]) -> None:
    """Extract facts from PATHS (files, directories, JSONL, - for stdin) and print JSON."""
    extractor = _extractor(aliases)
    ok = failed = 0
    for result in extractor.run(iter_inputs(paths, published)):
        if isinstance(result, Failure):
            _warn(result)
            failed += 1
            continue
        ok += 1
        click.echo(json.dumps(result, ensure_ascii=False, indent=2 if pretty else None))
    sys.exit(_exit_code(ok, failed))


@main.command()
@click.argument("paths", nargs=-1)
@_db_option
@_published_option
@_aliases_option
@click.option("--retry-failed", is_flag=True, help="Read again every input recorded as failed.")
@click.option("--workers", type=int, default=None, help="Extraction processes (default: all cores).")
@click.option("--batch-size", type=int, default=None, help="Articles per nlp.pipe batch and per transaction.")
@click.option("--no-near-dedup", is_flag=True, help="Only exact duplicates are skipped.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: one task per shard (WARC/JSONL) on a Dask cluster, then a merge into the store.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler (default: a local cluster).")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False), multiple=True,
              help="A file listing shard paths or globs, one per line (with --engine dask).")
@click.option("--shard-out", type=click.Path(file_okay=False), default=None,
              help="Where Dask workers write their shard outputs (default: <db>.shards/).")
def ingest(paths: tuple[str, ...], db: str, published: str | None, aliases: tuple[str, ...],
           retry_failed: bool, workers: int | None, batch_size: int | None, no_near_dedup: bool,
           quiet: bool, engine: str, scheduler: str | None, manifest: tuple[str, ...],
           shard_out: str | None) -> None:
    """Extract PATHS into the store: duplicates are linked, not re-extracted; failures are recorded."""
    from sitrep.ingest import Progress, default_workers
    from sitrep.ingest import ingest as run_ingest

    store = _open(db)
    targets = list(paths)
    if retry_failed:
        targets += [f["retry"] or f["input"] for f in store.failures()]
    if engine == "dask":
        _ingest_dask(store, targets, manifest, scheduler, workers, shard_out or f"{db}.shards", published,
                     batch_size, quiet, not no_near_dedup)
        return
    if not targets:
        raise click.UsageError("give PATHS to ingest, or --retry-failed")
    try:
        stats = run_ingest(
            store, targets, published=published, workers=workers or default_workers(),
            batch_size=batch_size or int(settings.get("batch_size")), aliases=list(aliases) or None,
            on_failure=_warn, progress=Progress(enabled=not quiet), near_dedup=not no_near_dedup)
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"ingested {stats.ok} article(s), {stats.duplicates} duplicate(s), {stats.unchanged} unchanged, "
               f"{stats.failed} failed, into {store.path}", err=True)
    if stats.sources:
        click.echo("sources: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.sources.items())), err=True)
    sys.exit(_exit_code(stats.ok + stats.unchanged + stats.duplicates, stats.failed))


def _ingest_dask(store, targets: list[str], manifests: tuple[str, ...], scheduler: str | None,
                 workers: int | None, out_dir: str, published: str | None, batch_size: int | None, quiet: bool,
                 near: bool) -> None:
    from sitrep import distributed
    from sitrep.ingest import Progress, merge

    shards = list(targets)
    for m in manifests:
        shards += distributed.read_manifest(m)
    if not shards:
        raise click.UsageError("give shard PATHS or --manifest with --engine dask")
    try:
        summaries = distributed.run(
            shards, out_dir, scheduler=scheduler, workers=workers or 2, published=published,
            batch_size=batch_size or int(settings.get("batch_size")),
            on_done=None if quiet else lambda s: click.echo(
                f"sitrep: shard {s['shard']}: {s['articles']} article(s), {s['failures']} failed", err=True))
        stats = merge(store, distributed.iter_outputs([s["output"] for s in summaries]), near_dedup=near,
                      on_failure=_warn, progress=Progress(enabled=not quiet))
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"merged {len(summaries)} shard(s): {stats.ok} article(s), {stats.duplicates} duplicate(s), "
               f"{stats.unchanged} unchanged, {stats.failed} failed, into {store.path}", err=True)
    sys.exit(_exit_code(stats.ok + stats.unchanged + stats.duplicates, stats.failed))


def _open(db: str):
    from sitrep.store import open_store

    try:
        return open_store(db)
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None


def _emit(rows: list[dict[str, Any]], as_json: bool, as_csv: bool, columns: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return
    if not rows:
        click.echo("(nothing)", err=True)
        return
    widths = {c: min(48, max(len(c), *(len(_cell(r.get(c))) for r in rows))) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        click.echo("  ".join(_cell(r.get(c))[:48].ljust(widths[c]) for c in columns))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:g}"
    return str(value)


def _output_options(f):
    f = click.option("--json", "as_json", is_flag=True, help="JSON output.")(f)
    f = click.option("--csv", "as_csv", is_flag=True, help="CSV output.")(f)
    return f


@main.command()
@_db_option
@click.option("--place", help="Place name (substring) or ISO country code.")
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--source", help="Source actor (substring).")
@click.option("--since", metavar="YYYY-MM-DD")
def report(db: str, place: str | None, category: str | None, source: str | None, since: str | None) -> None:
    """Print the situation report: per place and category, every figure with range, source, modality, date."""
    from sitrep.report import render

    store = _open(db)
    rows = store.figures(place=place, category=category, source=source, since=since)
    stories = store.stories(place=place, since=since)
    click.echo(render(rows, store.count("articles"), store.path, stories), nl=False)


@main.command()
@_db_option
@click.option("--place")
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--source")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--reconcile", "reconciled", is_flag=True,
              help="Per place, category and period: every estimate by source, spread, conservative and central.")
@click.option("--period", type=click.Choice(["month", "week", "all"]), default="month", show_default=True,
              help="Period of a reconciled group.")
@_output_options
def figures(db: str, place, category, source, since, reconciled: bool, period: str, as_json: bool,
            as_csv: bool) -> None:
    """List figures with filters, or reconcile them (--reconcile)."""
    from sitrep.report import fmt_range

    if reconciled:
        _reconciled(db, place, category, since, period, as_json, as_csv)
        return
    rows = _open(db).figures(place=place, category=category, source=source, since=since)
    for r in rows:
        r["range"] = fmt_range(r["low"], r["high"], bool(r["approximate"]), r["unit"])
        r["approximate"] = bool(r["approximate"])
    _emit(rows, as_json, as_csv, ["place", "category", "range", "unit", "modality", "source", "date", "article"]
          if not as_csv else ["place", "country_code", "lat", "lon", "category", "low", "high", "approximate", "unit",
                              "modality", "source", "date", "text", "article"])


def _reconciled(db: str, place, category, since, period: str, as_json: bool, as_csv: bool) -> None:
    from sitrep.reconcile import format_groups, reconcile

    groups = reconcile(_open(db), place=place, category=category, since=since, period=period)
    if as_json:
        click.echo(json.dumps(groups, ensure_ascii=False, indent=2))
    elif as_csv:
        rows = [{**{k: g[k] for k in ("place", "country_code", "category", "period")},
                 "spread_low": g["spread"][0] if g["spread"] else None,
                 "spread_high": g["spread"][1] if g["spread"] else None,
                 "conservative": (g["conservative"] or {}).get("value"), "central": g["central"], **e}
                for g in groups for e in g["estimates"]]
        _emit(rows, False, True, ["place", "country_code", "category", "period", "source", "low", "high", "modality",
                                  "date", "article", "spread_low", "spread_high", "conservative", "central"])
    else:
        click.echo(format_groups(groups) or "no figures match")


@main.command()
@_db_option
@click.option("--source", "--speaker", "source", help="Speaker (substring).")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]))
@_output_options
def quotes(db: str, source, since, kind, as_json: bool, as_csv: bool) -> None:
    """List attributed statements."""
    rows = _open(db).quotes(speaker=source, since=since, kind=kind)
    _emit(rows, as_json, as_csv, ["speaker", "kind", "cue", "text", "article"])


@main.command()
@_db_option
@click.option("--place")
@click.option("--since", metavar="YYYY-MM-DD")
@_output_options
def places(db: str, place, since, as_json: bool, as_csv: bool) -> None:
    """List places with coordinates, by mentions."""
    rows = _open(db).places(place=place, since=since)
    _emit(rows, as_json, as_csv, ["name", "country_code", "feature", "lat", "lon", "geonameid", "articles",
                                  "mentions"])


@main.command()
@_db_option
@click.option("--name")
@click.option("--kind")
@click.option("--since", metavar="YYYY-MM-DD")
@_output_options
def actors(db: str, name, kind, since, as_json: bool, as_csv: bool) -> None:
    """List actors, by mentions."""
    rows = _open(db).actors(name=name, kind=kind, since=since)
    _emit(rows, as_json, as_csv, ["name", "kind", "role", "articles", "mentions"])


@main.command()
@_db_option
@click.option("--place", help="Place name (substring) or ISO country code.")
@click.option("--type", "etype", help="Event type, e.g. Battles.")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--story", type=int, help="Only the events of this story.")
@_output_options
def events(db: str, place, etype, since, story, as_json: bool, as_csv: bool) -> None:
    """List events: type, sub-type, place, date, modality, deaths, actors and the story they belong to."""
    rows = _open(db).events(place=place, type=etype, since=since, story=story)
    for r in rows:
        r["actors"] = "; ".join(f"{a['name']} ({a['role']})" for a in r["actors"]) if not as_json else r["actors"]
    _emit(rows, as_json, as_csv, ["date", "type", "subtype", "place", "country_code", "modality", "fatalities",
                                  "actors", "story_id", "article"])


@main.command()
@_db_option
@click.option("--place", help="Place name (substring) or ISO country code.")
@click.option("--type", "etype", help="Event type, e.g. Battles.")
@click.option("--since", metavar="YYYY-MM-DD")
@_output_options
def stories(db: str, place, etype, since, as_json: bool, as_csv: bool) -> None:
    """List stories: each event once, however many articles tell it."""
    rows = _open(db).stories(place=place, type=etype, since=since)
    _emit(rows, as_json, as_csv, ["id", "first_date", "last_date", "type", "subtype", "place", "country_code",
                                  "articles", "fatalities"])


@main.command("export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "geojson", "acled", "hxl"]), required=True,
              help="csv/hxl: figures; acled: events; geojson: events and figures; json: all.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout).")
@click.option("--place", help="Place name (substring) or ISO country code.")
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--since", metavar="YYYY-MM-DD")
def export_cmd(db: str, fmt: str, output: str | None, place, category, since) -> None:
    """Export figures and events for QGIS, ACLED-style tools or the Humanitarian Data Exchange."""
    from sitrep.export import export

    text = export(_open(db), fmt, place=place, category=category, since=since)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot write ({exc.strerror})") from None
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@_db_option
@_output_options
def duplicates(db: str, as_json: bool, as_csv: bool) -> None:
    """List inputs linked to an earlier copy (exact or near duplicates), not extracted again."""
    _emit(_open(db).duplicates(), as_json, as_csv, ["input_id", "kind", "similarity", "first_copy"])


@main.command()
@_db_option
@_output_options
def failures(db: str, as_json: bool, as_csv: bool) -> None:
    """List inputs that failed, with reasons (retry with `sitrep ingest --retry-failed`)."""
    rows = _open(db).failures()
    _emit(rows, as_json, as_csv, ["input", "code", "reason", "attempts", "failed_at"])


@main.command("eval")
@click.argument("task", type=click.Choice(["places", "attribution", "figures", "seed", "events"]))
@click.option("--data", required=True, type=click.Path(exists=True), help="Gold data file or folder.")
@click.option("--peers", type=click.Path(exists=True), help="Folder of published peer outputs to score alike.")
@click.option("--limit", type=int, help="Only the first N articles or rows.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def evaluate(task: str, data: str, peers: str | None, limit: int | None, as_json: bool) -> None:
    """Score sitrep (and peers) on a gold set: places, attribution, figures, events or seed."""
    from sitrep import eval as ev

    try:
        result = ev.run(task, data, limit=limit, peers=peers)
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(ev.format_table(result))


@main.command()
@click.option("--floors", default="eval/floors.json", show_default=True, type=click.Path(dir_okay=False),
              help="Pinned floors: data set, subset size and minimum scores.")
@click.option("--only", multiple=True, help="Run only these sets (names in the floors file).")
def gate(floors: str, only: tuple[str, ...]) -> None:
    """Run the evaluation gate: exit 1 when any development-set score is below its floor."""
    from pathlib import Path

    from sitrep.eval import table
    from sitrep.eval.gate import run_gate

    try:
        passed, checks = run_gate(Path(floors), list(only) or None)
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(table(checks, ["set", "metric", "floor", "score", "status", "note"]))
    click.echo("gate: passed" if passed else "gate: FAILED (a score fell below its floor)")
    sys.exit(0 if passed else 1)


@main.group()
def gazetteer() -> None:
    """The local GeoNames index."""


@gazetteer.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the index exists.")
def gazetteer_build(force: bool) -> None:
    """Build the SQLite gazetteer from the GeoNames data in installed packages."""
    from sitrep import gazetteer as gz

    path = gz.default_path()
    if path.exists() and not force:
        click.echo(f"gazetteer ready: {path}", err=True)
        return
    click.echo(f"gazetteer built: {gz.build(path)}", err=True)


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; anything else exposes the store).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (each opens its own read-only connections).")
def serve(db: str, host: str, port: int, workers: int) -> None:
    """Serve the read-only JSON API (docs at /docs) and the map, timeline, reconciliation and reader page."""
    try:
        import uvicorn

        from sitrep.web.app import create_app
    except ImportError as exc:
        raise click.ClickException(f"serve needs FastAPI and uvicorn ({exc}); run `make .venv/bin/sitrep`") from None
    try:
        app = create_app(db)
    except SitrepError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"sitrep: serving {db} on http://{host}:{port}/ (API docs: /docs); Ctrl-C stops", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    import os

    os.environ["SITREP_SERVE_DB"] = db
    uvicorn.run("sitrep.web.app:from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


@main.command("settings")
def show_settings() -> None:
    """Show settings (override with SITREP_<NAME> environment variables)."""
    for s in settings.SETTINGS:
        click.echo(f"{s.name:<12} {settings.get(s.name)!s:<28} {s.help}")




if __name__ == "__main__":
    main()
