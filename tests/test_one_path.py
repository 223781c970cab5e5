"""One execution path: a saved query gives the same columns and rows on the CLI, on the REST
API and on /sparql, for every saved query and every example in its header (house.md F1).

The CLI and the API both run `innovgraph.catalogue.run_saved_query`; /sparql gets the query
text with the values written into it, as a SPARQL client (and `RemoteStore`) sends it. The
server runs in-process (conftest's `web_client`), over the shipped project.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from innovgraph import Catalogue, Project
from innovgraph.cli import cli
from innovgraph.remote.binding import bind_into_text, query_form

REPO = Path(__file__).resolve().parents[1]
PROJECT = Project(REPO)
JSON = "application/sparql-results+json"


def _runs() -> list[tuple[str, dict[str, str]]]:
    runs = []
    for query in Catalogue(PROJECT).list():
        examples = [dict(e or {}) for e in query.examples]
        if not any(p.required for p in query.params) and {} not in examples:
            examples.insert(0, {})
        runs += [(query.name, {k: str(v) for k, v in e.items()}) for e in examples]
    return runs


RUNS = _runs()


@pytest.fixture
def client(web_client):
    return web_client


def _cli(name: str, params: dict[str, str], fmt: str) -> str:
    args = ["--project", str(REPO), "query", name, "--format", fmt]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.output


def _table(doc: dict, hidden: set[str] = frozenset()) -> tuple[list[str], list[dict]]:
    columns = [v for v in doc["head"]["vars"] if v not in hidden]
    rows = [{k: v for k, v in b.items() if k not in hidden} for b in doc["results"]["bindings"]]
    return columns, rows


def test_every_saved_query_has_a_run():
    names = {name for name, _ in RUNS}
    assert names == {q.name for q in Catalogue(PROJECT).list()}
    assert len(RUNS) >= len(names)


@pytest.mark.parametrize(("name", "params"), RUNS, ids=[
    f"{n}[{','.join(f'{k}={v}' for k, v in p.items())}]" for n, p in RUNS])
def test_cli_api_and_sparql_give_the_same_answer(client, name, params):
    query = Catalogue(PROJECT).get(name)
    text = bind_into_text(query.text, query.bind(params))
    graph = query_form(query.text) == "CONSTRUCT"
    api = client.get(f"/api/queries/{name}", params=params,
                     headers={"Accept": "text/turtle" if graph else JSON})
    sparql = client.post("/sparql", data={"query": text},
                         headers={"Accept": "text/turtle" if graph else JSON})
    assert (api.status_code, sparql.status_code) == (200, 200), (api.text, sparql.text)
    if graph:
        graphs = [Graph().parse(data=body, format="turtle")
                  for body in (_cli(name, params, "turtle"), api.text, sparql.text)]
        assert len(graphs[0]) > 0
        assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])
        return
    on_cli = _table(json.loads(_cli(name, params, "json")))
    # No parameter column echoes the input, on the CLI or on the API.
    assert not any(column.startswith("_") for column in on_cli[0])
    assert _table(api.json()) == on_cli
    # /sparql answers every projected variable, the parameters too (bound by the text).
    assert _table(sparql.json(), hidden={p.variable for p in query.params}) == on_cli


def test_the_api_answers_the_cli_columns_of_cities_by_role(client):
    """The case of the review: the API added a `_role_iri` column the CLI has not."""
    params = {"role": "igv:innovation-role/data-scientist"}
    csv_cli = _cli("cities-by-role", params, "csv").splitlines()
    csv_api = client.get("/api/queries/cities-by-role.csv", params=params).text.splitlines()
    assert csv_cli[0] == csv_api[0] == ("city,name,response,edition,declaredRoleCount,"
                                        "listedRoleCount,rolesSection,supersededBy")
    # One row per current response listing the role: per fact sheet (and Moscow) naming it.
    from support.sheets import concept_of, sheets
    role = "https://w3id.org/innovgraph/vocab/innovation-role/data-scientist"
    listing = [s for s in sheets() if role in {concept_of("innovation-role", label) for label in
                                               ((s["roles"] or {}).get("listed") or [])}]
    assert csv_cli == csv_api and len(csv_cli) == 1 + len(listing) > 8
