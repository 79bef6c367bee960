"""`python -m bench` (`make bench`): search, child-page, screening, standards-scan and meeting-agenda
timings at register scale.

Builds a throw-away SQLite database in bench/ (bench/bench.sqlite3, git-ignored), migrates it,
writes a fictional register (see bench/data.py) with its missing episodes and return interviews
(bench/missing.py) and two children's screenings, risk levels and referrals written through the
services, and the risk levels, referrals and past meetings of an exploitation meeting's agenda
(bench/agenda.py); times the pages, a screening submission, the overdue-return-interview scan (F06)
and the proposed agenda of the next meeting, prints the tables and deletes the database. Settings: bench.settings, always; DATABASE_URL and
DJANGO_SETTINGS_MODULE from the environment are ignored so the developer's database is never
touched.

Environment:
  BENCH_CHILDREN   children to generate (default 50000; 2000 for a quick check)
  BENCH_REPS       timed repetitions of each page measure (default 200)
  BENCH_WARMUP     untimed repetitions first (default 20)
  BENCH_SCAN_REPS  timed repetitions of each scan measure (default 15; a scan takes far longer
                   than a page)
  BENCH_SCAN_WARMUP untimed scan repetitions first (default 2)
  BENCH_AGENDA_REPS timed repetitions of the agenda measures (default 30)
  BENCH_AGENDA_WARMUP untimed agenda repetitions first (default 3)
  BENCH_ONLY       "missing" to build the register and time the overdue-interview scan only;
                   "agenda" to build it with the agenda's data and time the agenda only;
                   "contacts" for the 1,000,000 contacts and the no-contact scan (F20);
                   "network" for the 100,000-node, 1,000,000-link network; several
                   separated by commas ("missing,agenda"). The agenda's data (risk levels) is
                   built for any of agenda, contacts and network.
  BENCH_CONTACT_REPS timed repetitions of the no-contact scan (default 15), BENCH_CONTACT_WARMUP (2)
  BENCH_NETWORK_REPS timed repetitions of the typical neighbourhood (default 30; a third of them
                   for the busiest node), BENCH_NETWORK_WARMUP (3); components, groups and
                   hotspots run 3 (hotspots 5) times after 1 warm-up
  BENCH_NETWORK_PARTS which of the network's measures to time, separated by commas (default
                   all: neighbourhood,components,groups,hotspots)
  BENCH_DATABASE_URL a PostgreSQL database for the scan and agenda measures instead of SQLite, for
                   example postgres:///lantern_bench. Its name must begin with lantern_bench: the
                   bench drops and creates it, and drops it afterwards. Implies
                   BENCH_ONLY=missing,agenda,contacts,network (the page measures' baselines are
                   SQLite's SQL); the results go to their own block of docs/performance.md.
  BENCH_ONLY=audits the report of one audit round of 1,000 cases and 12 agencies (12,000 forms)
                   against its SQL (bench/audits.py), on its own: it builds no register. With
                   BENCH_DATABASE_URL, on PostgreSQL. Its results go to their own blocks of
                   docs/performance.md (unless BENCH_WRITE_DOCS=0). BENCH_AUDIT_REPS timed
                   repetitions (default 15), BENCH_AUDIT_WARMUP (2).
  BENCH_PROFILE    1 to print a cProfile of the overdue-interview rule and of `propose_agenda`
  BENCH_WRITE_DOCS 1 to write the results into docs/performance.md, 0 never; by default only
                   a run at the full 50,000 children writes them (and never a BENCH_ONLY run on
                   SQLite, which would leave the page rows out, nor one on PostgreSQL without
                   all four parts)
  BENCH_KEEP_DB    1 to keep the database afterwards, for looking at query plans
"""

import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
FULL_SIZE = 50_000
SET_MEASURES = ("missing", "agenda", "contacts", "network")  # what BENCH_ONLY may ask for, and PostgreSQL runs


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def main() -> int:
    started = time.perf_counter()
    children = _env_int("BENCH_CHILDREN", FULL_SIZE)
    reps = _env_int("BENCH_REPS", 200)
    warmup = _env_int("BENCH_WARMUP", 20)
    scan_reps = _env_int("BENCH_SCAN_REPS", 15)
    scan_warmup = _env_int("BENCH_SCAN_WARMUP", 2)
    agenda_reps = _env_int("BENCH_AGENDA_REPS", 30)
    agenda_warmup = _env_int("BENCH_AGENDA_WARMUP", 3)
    postgres = bool(os.environ.get("BENCH_DATABASE_URL", "").strip())
    only = {part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()}
    if postgres and not only:
        only = set(SET_MEASURES)
    if only == {"audits"}:
        return _main_audits(postgres=postgres, started=started)
    if only - set(SET_MEASURES):
        raise SystemExit(f"BENCH_ONLY must be empty or names from {', '.join(SET_MEASURES)}, not {os.environ['BENCH_ONLY']!r}")
    full_run_writes = children == FULL_SIZE and (only == set(SET_MEASURES) if postgres else not only)
    write_docs = os.environ.get("BENCH_WRITE_DOCS", "1" if full_run_writes else "0") == "1"

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # never the caller's settings
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if postgres:
        name = settings.DATABASES["default"]["NAME"]
        _create_postgres_database(connection, name)
        database = f"PostgreSQL database {name}"
    else:
        database = Path(settings.DATABASES["default"]["NAME"]).resolve()
        if database.parent != BENCH_DIR or database.name == "lantern.sqlite3":
            raise SystemExit(f"Refusing to run: the bench database would be {database}")
        _remove_database(database)
    try:
        if only:
            return _run_set_measures(
                children=children, parts=only, reps=scan_reps, warmup=scan_warmup, agenda_reps=agenda_reps,
                agenda_warmup=agenda_warmup, write_docs=write_docs, started=started,
            )
        return _run(
            children=children, reps=reps, warmup=warmup, scan_reps=scan_reps, scan_warmup=scan_warmup, agenda_reps=agenda_reps,
            agenda_warmup=agenda_warmup, write_docs=write_docs, started=started,
        )
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB") == "1":
            print(f"Kept {database}")
        elif postgres:
            _drop_postgres_database(connection, settings.DATABASES["default"]["NAME"])
        else:
            _remove_database(database)


def _main_audits(*, postgres: bool, started: float) -> int:
    """`BENCH_ONLY=audits`: the audit report alone, on its own database (no register)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from . import audits, data, report

    if postgres:
        name = settings.DATABASES["default"]["NAME"]
        _create_postgres_database(connection, name)
    else:
        database = Path(settings.DATABASES["default"]["NAME"]).resolve()
        if database.parent != BENCH_DIR or database.name == "lantern.sqlite3":
            raise SystemExit(f"Refusing to run: the bench database would be {database}")
        _remove_database(database)
    try:
        print(f"Lantern bench, the audit report only, on {connection.vendor}")
        phases = {}
        mark = time.perf_counter()
        data.set_fast_writes()
        call_command("migrate", verbosity=0, interactive=False)
        phases["migrate"] = time.perf_counter() - mark
        mark = time.perf_counter()
        built = audits.build()
        phases["audit data"] = time.perf_counter() - mark
        connection.close()
        mark = time.perf_counter()
        load_before = os.getloadavg()[0]
        results = audits.run_measures(built, reps=_env_int("BENCH_AUDIT_REPS", 15), warmup=_env_int("BENCH_AUDIT_WARMUP", 2))
        phases["measure"] = time.perf_counter() - mark
        env_text = audits.environment(results, load=(load_before, os.getloadavg()[0]))
        text = report.render_scan(
            rows=audits.rows(results), query_counts=audits.query_rows(results), env_text=env_text,
            total_seconds=time.perf_counter() - started, phases=phases,
        )
        print()
        print(text)
        if os.environ.get("BENCH_WRITE_DOCS", "1") == "1":
            if report.write_doc(text, markers=audits.MARKERS[connection.vendor]):
                print(f"\nWritten into {report.DOC.relative_to(BENCH_DIR.parent)}")
            else:
                print(f"\n{report.DOC} has no audit results markers; not written")
        return 0
    finally:
        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB") == "1":
            print("Kept the bench database")
        elif postgres:
            _drop_postgres_database(connection, settings.DATABASES["default"]["NAME"])
        else:
            _remove_database(database)


def _create_postgres_database(connection, name: str) -> None:
    """Drop and create the bench's own database (bench.settings has checked its name)."""
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted} ENCODING 'UTF8'")


def _drop_postgres_database(connection, name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _build_register(children: int, phases: dict):
    """Migrate, and write the register with its missing episodes."""
    from django.core.management import call_command
    from django.db import connection

    from . import data, missing

    mark = time.perf_counter()
    data.set_fast_writes()
    call_command("migrate", verbosity=0, interactive=False)
    phases["migrate"] = time.perf_counter() - mark

    mark = time.perf_counter()
    world = data.build(children=children)
    phases["generate"] = time.perf_counter() - mark
    print(f"  {world.counts['involvements']:,} involvements, {world.counts['identifiers']:,} identifiers, "
          f"{world.counts['timeline_events']:,} timeline events in {phases['generate']:.0f} s")
    mark = time.perf_counter()
    episodes = missing.build(world)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, long before anyone scanned
    phases["missing episodes"] = time.perf_counter() - mark
    print(f"  {episodes.counts['interviews']:,} return interviews, {episodes.counts['closed_children']:,} children closed,"
          f" in {phases['missing episodes']:.0f} s")
    return world, episodes


def _scan_rows(scan) -> list:
    from . import report

    label = f"Overdue return interviews (F06), {scan.overdue:,} overdue"
    return [
        report.Row(f"{label}: rule `return_interview_overdue` fully consumed", scan.now["rule"], scan.now["sql"],
                   "≤ 2× SQL baseline", limit_ratio=2),
        report.Row(f"{label}: the rule's query alone, through the ORM (rows fetched, no alerts made)", scan.now["query"],
                   scan.now["sql"], "none set (for information)"),
        report.Row(f"{label}: `run_scan` of that rule, alerts already up to date", scan.now["scan"], scan.now["sql"],
                   "none set (for information)"),
        report.Row(f"{label}: `run_scan` of that rule as the next day's daily scan (every alert's wording changes)",
                   scan.daily["scan"], scan.daily["sql"], "none set (for information)"),
    ]


def _scan_queries(scan) -> list:
    return [
        ("Overdue-interview rule (F06), fully consumed", None, scan.queries["rule"], scan.queries["sql"]),
        ("`run_scan` of the overdue-interview rule, alerts up to date", None, scan.queries["scan"], scan.queries["sql"]),
    ]


def _agenda_rows(agenda) -> list:
    from . import report

    reasons = agenda.reasons
    label = (
        f"Agenda of the next exploitation meeting, {agenda.data['at_risk']:,} children at medium or high risk:"
        f" `propose_agenda`, {reasons['children']:,} children proposed, every proposal built (baseline: the same children,"
        " reasons, names and dates of birth)"
    )
    return [report.Row(label, agenda.timings["selector"], agenda.timings["sql"], "≤ 2× SQL baseline", limit_ratio=2)]


def _agenda_queries(agenda) -> list:
    return [("Agenda of the next exploitation meeting, `propose_agenda`", None, agenda.queries["selector"], agenda.queries["sql"])]


def _page_children(world, episodes):
    """The users, the children the child-page measures open, and the busy, quiet and screening
    submission children (chosen, not written): none of them is given agenda data."""
    from lantern.partnership.models import User

    from . import data, measure

    practitioner = User.objects.get(pk=world.practitioner.pk)
    hub = User.objects.get(pk=world.hub.pk)
    practitioner.access, hub.access  # worked out once, as once per request in the view
    practitioner_children = measure.children_to_open(practitioner, count=200, seed=data.SEED)
    hub_children = measure.children_to_open(hub, count=200, seed=data.SEED + 1)
    # The busy and the quiet child are chosen among children never missing and not closed, so that
    # both pages load the same sections and differ only in screenings, levels and referrals.
    records = data.choose_record_children(
        world, exclude=set(practitioner_children) | set(hub_children),
        avoid=episodes.children_with_episodes | episodes.closed_children,
    )
    untouched = set(practitioner_children) | set(hub_children) | set(records.submit) | {records.busy, records.quiet}
    return practitioner, hub, practitioner_children, hub_children, records, untouched


def _build_agenda(world, episodes, untouched: set, phases: dict):
    from . import agenda

    mark = time.perf_counter()
    built = agenda.build(world, episodes, exclude=untouched)
    phases["agenda data"] = time.perf_counter() - mark
    return built


def _build_extras(world, parts: set, phases: dict):
    """The contacts and the network, after the agenda's risk levels (both read who is at risk)."""
    from . import contacts, network

    built_contacts = built_network = None
    if "contacts" in parts:
        mark = time.perf_counter()
        built_contacts = contacts.build(world)
        phases["contacts"] = time.perf_counter() - mark
    if "network" in parts:
        mark = time.perf_counter()
        built_network = network.build(world)
        phases["network"] = time.perf_counter() - mark
    return built_contacts, built_network


def _measure_extras(built_contacts, built_network, *, profiling: bool):
    """Time the no-contact scan and the network: (rows, query counts, environment lines, profiles)."""
    from . import contacts, network, report

    rows, queries, texts, profiles = [], [], [], []
    if built_contacts is not None:
        results = contacts.run_measures(
            built_contacts, reps=_env_int("BENCH_CONTACT_REPS", 15), warmup=_env_int("BENCH_CONTACT_WARMUP", 2), profile_rule=profiling,
        )
        label = (f"No recent contact (F20), {results.data['contacts']:,} contacts, {results.found['children']:,} children found:"
                 " rule `F20.no-recent-contact` fully consumed")
        rows.append(report.Row(label, results.timings["rule"], results.timings["sql"], "≤ 2× SQL baseline", limit_ratio=2))
        queries.append(("No-recent-contact rule (F20), fully consumed", None, results.queries["rule"], results.queries["sql"]))
        texts.append(contacts.text(results))
        profiles.append(results.profile)
    if built_network is not None:
        parts = tuple(p.strip() for p in os.environ.get("BENCH_NETWORK_PARTS", ",".join(network.PARTS)).split(",") if p.strip())
        results = network.run_measures(
            built_network, reps=_env_int("BENCH_NETWORK_REPS", 30), warmup=_env_int("BENCH_NETWORK_WARMUP", 3),
            profile_hotspots=profiling, parts=parts,
        )
        t, c, d = results.timings, results.data.counts, results.data
        size = f"{c['nodes']:,} nodes, {c['links']:,} links"
        if "typical" in t:
            rows += [
                report.Row(f"Network, {size}: `neighbourhood(depth=2)` of a typical node ({d.typical_degree} links)", t["typical"], None,
                           "median < 200 ms", limit_ms=200),
                report.Row(f"Network, {size}: `neighbourhood(depth=2)` of the busiest node ({d.busy_degree:,} links)", t["busy"], None,
                           "none set (for information)"),
            ]
            queries.append(("Network: `neighbourhood(depth=2)`, typical node", None, results.queries["typical"], 0))
        if "components" in t:
            rows.append(report.Row(f"Network, {size}: `components` of every live link (links read through the ORM)", t["components"], None,
                                   "median < 5,000 ms", limit_ms=5000))
        if "groups" in t:
            rows.append(report.Row(f"Network, {size}: `groups_of_children` through every kind", t["groups"], None,
                                   "median < 5,000 ms", limit_ms=5000))
        if "groups_default" in t:
            rows.append(report.Row(f"Network, {size}: `groups_of_children` through persons and vehicles (the groups page's default)",
                                   t["groups_default"], None, "median < 5,000 ms", limit_ms=5000))
        if "hotspots" in t:
            rows.append(report.Row(f"Network, {size}: `hotspots` of the last 90 days, {results.facts['places']:,} places ranked",
                                   t["hotspots"], t["sql"], "≤ 2× SQL baseline", limit_ratio=2))
            queries.append(("Network: `hotspots`", None, results.queries["hotspots"], results.queries["sql"]))
        texts.append(network.text(results))
        profiles.append(results.profile)
    return rows, queries, texts, profiles


def _run_set_measures(
    *, children: int, parts: set, reps: int, warmup: int, agenda_reps: int, agenda_warmup: int, write_docs: bool, started: float,
) -> int:
    """The register and its missing episodes, and the overdue-interview scan, the agenda or both:
    on SQLite, a quick look at them alone; on PostgreSQL, their figures there."""
    from django.db import connection

    from . import agenda, missing, report

    phases = {}
    what = ", ".join(name for key, name in (
        ("missing", "the overdue-interview scan"), ("agenda", "the agenda"), ("contacts", "the no-contact scan"), ("network", "the network"),
    ) if key in parts)
    print(f"Lantern bench, {what} only, on {connection.vendor}: {children:,} children,"
          f" {reps} repetitions after {warmup} warm-up for the scan, {agenda_reps} after {agenda_warmup} for the agenda")
    world, episodes = _build_register(children, phases)
    built = None
    if parts & {"agenda", "contacts", "network"}:
        # The same children left untouched as in a full run, so the agenda's data is the same.
        *_, untouched = _page_children(world, episodes)
        built = _build_agenda(world, episodes, untouched, phases)
    built_contacts, built_network = _build_extras(world, parts, phases)
    if "agenda" not in parts:
        built = None
    connection.close()
    mark = time.perf_counter()
    load_before = os.getloadavg()[0]
    profiling = os.environ.get("BENCH_PROFILE") == "1"
    rows, query_counts, scan, agenda_results = [], [], None, None
    if "missing" in parts:
        scan = missing.run_measures(reps=reps, warmup=warmup, profile_rule=profiling)
        rows += _scan_rows(scan)
        query_counts += _scan_queries(scan)
    if built is not None:
        agenda_results = agenda.run_measures(built, reps=agenda_reps, warmup=agenda_warmup, profile_selector=profiling)
        rows += _agenda_rows(agenda_results)
        query_counts += _agenda_queries(agenda_results)
    extra_rows, extra_queries, extra_texts, extra_profiles = _measure_extras(built_contacts, built_network, profiling=profiling)
    rows += extra_rows
    query_counts += extra_queries
    phases["measure"] = time.perf_counter() - mark
    load_after = os.getloadavg()[0]
    for results in (scan, agenda_results):
        if results is not None and results.profile:
            print(results.profile)
    for text in extra_profiles:
        if text:
            print(text)
    env_text = report.scan_environment(
        children=children, counts=world.counts, episodes=episodes.counts, scan=scan, agenda=agenda_results, load=(load_before, load_after),
        extra=extra_texts, parts=parts,
    )
    text = report.render_scan(rows=rows, query_counts=query_counts, env_text=env_text, total_seconds=time.perf_counter() - started, phases=phases)
    print()
    print(text)
    if write_docs and connection.vendor == "postgresql":
        if report.write_doc(text, markers=report.POSTGRES_MARKERS):
            print(f"\nWritten into {report.DOC.relative_to(BENCH_DIR.parent)}")
        else:
            print(f"\n{report.DOC} has no PostgreSQL results markers; not written")
    return 0


def _run(
    *, children: int, reps: int, warmup: int, scan_reps: int, scan_warmup: int, agenda_reps: int, agenda_warmup: int,
    write_docs: bool, started: float,
) -> int:
    from django.db import connection

    from lantern.children.models import Child
    from lantern.children.selectors import children_visible_to

    from . import agenda, data, measure, missing, report

    phases = {}
    print(f"Lantern bench: {children:,} children, {reps} repetitions after {warmup} warm-up"
          f" ({scan_reps} after {scan_warmup} for the scan, {agenda_reps} after {agenda_warmup} for the agenda)")
    world, episodes = _build_register(children, phases)

    # Screenings, risk levels and referrals for two children, through the services (see data.py).
    mark = time.perf_counter()
    practitioner, hub, practitioner_children, hub_children, records, untouched = _page_children(world, episodes)
    data.build_records(world, records)
    phases["records"] = time.perf_counter() - mark
    busy = records.counts["busy"]
    print(f"  busy child {records.busy}: {busy['screenings']} screenings, {busy['decisions']} level decisions, "
          f"{busy['referrals']} referrals; quiet child {records.quiet}: 1 of each, in {phases['records']:.0f} s")
    # Levels, referrals and past meetings for the agenda, on none of the children opened above.
    built = _build_agenda(world, episodes, untouched, phases)
    built_contacts, built_network = _build_extras(world, set(SET_MEASURES), phases)
    connection.close()  # measure with the usual durability, not the generator's

    mark = time.perf_counter()
    load_before = os.getloadavg()[0]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    practitioner_client = measure.signed_in_client(practitioner)
    hub_client = measure.signed_in_client(hub)
    visible = children_visible_to(practitioner).count()

    groups = {}
    query_counts = []
    for who, user, client in (("practitioner", practitioner, practitioner_client), ("hub", hub, hub_client)):
        measures = {
            "page": measure.search_page(client),
            "selector": measure.search_selector(user),
            "sql": measure.search_sql(user),
        }
        print(f"  timing search ({who}) ...", flush=True)
        groups[f"search-{who}"] = measure.run_interleaved(measures, measure.SEARCHES, reps=reps, warmup=warmup)
        query_counts.append((
            f"Search, {who}", *(measure.count_queries(measures[m], measure.SEARCHES[0]) for m in ("page", "selector", "sql"))
        ))
    for who, user, client, ids in (
        ("practitioner", practitioner, practitioner_client, practitioner_children),
        ("hub", hub, hub_client, hub_children),
    ):
        measures = {
            "page": measure.child_page_view(client),
            "data": measure.child_data_layer(user),
            "sql-reads": measure.child_sql_reads,
            "sql-equivalent": measure.child_sql_equivalent(user),
        }
        print(f"  timing child page ({who}) ...", flush=True)
        groups[f"child-{who}"] = measure.run_interleaved(measures, ids, reps=reps, warmup=warmup)
        query_counts.append((
            f"Child page, {who}", *(measure.count_queries(measures[m], ids[0]) for m in ("page", "data", "sql-equivalent"))
        ))
    # The child page of a child with a long record (20 screenings, 30 level decisions, 4
    # referrals) and of one with one of each, for the practitioner: the time, and whether the
    # number of queries grows with the record. The hub's query counts are taken too (not timed).
    record_measures = {
        f"{size}-{what}": measure.fixed(make, child_id)
        for size, child_id in (("quiet", records.quiet), ("busy", records.busy))
        for what, make in (("page", measure.child_page_view(practitioner_client)), ("data", measure.child_data_layer(practitioner)))
    }
    print("  timing the child page, a long record and a short one (practitioner) ...", flush=True)
    groups["records"] = measure.run_interleaved(record_measures, [None], reps=reps, warmup=warmup)
    record_queries = {name: measure.count_queries(m, None) for name, m in record_measures.items()}
    for size, child_id in (("quiet", records.quiet), ("busy", records.busy)):
        record_queries[f"{size}-hub-page"] = measure.count_queries(measure.child_page_view(hub_client), child_id)
        record_queries[f"{size}-hub-data"] = measure.count_queries(measure.child_data_layer(hub), child_id)

    # Screening submission: the service against the same two INSERTs by hand, each repetition a
    # new screening of one of 40 children the practitioner's agency works with.
    submit_children = {c.pk: c for c in Child.objects.filter(pk__in=records.submit)}
    submit_measures = {
        "service": measure.screening_submission(practitioner, world.bench_agency, submit_children),
        "sql": measure.screening_sql(practitioner, world.bench_agency, submit_children),
    }
    print("  timing screening submission (practitioner) ...", flush=True)
    groups["screening"] = measure.run_interleaved(submit_measures, records.submit, reps=reps, warmup=warmup)
    query_counts.append((
        "Screening submission, practitioner (8 indicators)", None,
        *(measure.count_queries(submit_measures[m], records.submit[0]) for m in ("service", "sql")),
    ))

    # The agenda (it only reads), then the overdue-interview scan last, so its alerts are not on
    # the child pages timed above.
    profiling = os.environ.get("BENCH_PROFILE") == "1"
    agenda_results = agenda.run_measures(built, reps=agenda_reps, warmup=agenda_warmup, profile_selector=profiling)
    scan = missing.run_measures(reps=scan_reps, warmup=scan_warmup, profile_rule=profiling)
    for results in (scan, agenda_results):
        if results.profile:
            print(results.profile)
    query_counts += _scan_queries(scan) + _agenda_queries(agenda_results)
    extra_rows, extra_queries, extra_texts, extra_profiles = _measure_extras(built_contacts, built_network, profiling=profiling)
    query_counts += extra_queries
    for text in extra_profiles:
        if text:
            print(text)

    # The test client keeps one connection; a real server with CONN_MAX_AGE=0 (the SQLite
    # setting) opens one per request. Not in the figures above, so measured on its own.
    connect = measure.Timing("connect")
    for _ in range(50):
        connection.close()
        mark_connect = time.perf_counter()
        connection.ensure_connection()
        connect.samples.append((time.perf_counter() - mark_connect) * 1000)
    phases["measure"] = time.perf_counter() - mark
    load_after = os.getloadavg()[0]

    rows = []
    for who in ("practitioner", "hub"):
        timing = groups[f"search-{who}"]
        label = "one agency's practitioner" if who == "practitioner" else "hub (partnership-wide)"
        rows += [
            report.Row(f"Search, {label}: whole page", timing["page"], timing["sql"], "median < 100 ms", limit_ms=100),
            report.Row(f"Search, {label}: selector", timing["selector"], timing["sql"], "≤ 3× SQL baseline", limit_ratio=3),
        ]
    for who in ("practitioner", "hub"):
        timing = groups[f"child-{who}"]
        label = "one agency's practitioner" if who == "practitioner" else "hub (partnership-wide)"
        rows += [
            report.Row(f"Child page, {label}: whole page", timing["page"], timing["sql-reads"], "median < 50 ms", limit_ms=50),
            report.Row(f"Child page, {label}: data layer vs the issue's reads-only baseline", timing["data"],
                       timing["sql-reads"], "≤ 3× SQL baseline", limit_ratio=3),
            report.Row(f"Child page, {label}: data layer vs like-for-like baseline (need-to-know, log write)", timing["data"],
                       timing["sql-equivalent"], "≤ 3× SQL baseline", limit_ratio=3),
        ]
    timing = groups["screening"]
    rows.append(report.Row(
        "Screening submission, one agency's practitioner: `submit_screening` (8 indicators)", timing["service"], timing["sql"],
        "none set (for information)",
    ))
    rows += _scan_rows(scan) + _agenda_rows(agenda_results) + extra_rows
    timing = groups["records"]
    record_rows = [
        report.RecordRow("Child page, practitioner: whole page", timing["quiet-page"], timing["busy-page"],
                         record_queries["quiet-page"], record_queries["busy-page"], limit_ms=50),
        report.RecordRow("Child page, practitioner: data layer", timing["quiet-data"], timing["busy-data"],
                         record_queries["quiet-data"], record_queries["busy-data"]),
        report.RecordRow("Child page, hub: whole page (queries only)", None, None,
                         record_queries["quiet-hub-page"], record_queries["busy-hub-page"]),
        report.RecordRow("Child page, hub: data layer (queries only)", None, None,
                         record_queries["quiet-hub-data"], record_queries["busy-hub-data"]),
    ]
    env_text = report.environment(
        children=children, counts=world.counts, visible=visible, reps=reps, warmup=warmup,
        synchronous=synchronous, load=(load_before, load_after), records=records.counts, submit_children=len(records.submit),
        episodes=episodes.counts, scan=scan, agenda=agenda_results, extra=extra_texts,
    )
    total = time.perf_counter() - started
    text = report.render(
        rows=rows, query_counts=query_counts, env_text=env_text, total_seconds=total, phases=phases, connect=connect,
        record_rows=record_rows, records=records.counts,
    )
    print()
    print(text)
    if write_docs:
        if report.write_doc(text):
            print(f"\nWritten into {report.DOC.relative_to(BENCH_DIR.parent)}")
        else:
            print(f"\n{report.DOC} has no results markers; not written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
