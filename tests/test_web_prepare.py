"""The server's own once-per-store-state values (`Backend.memo`): prepared in the background
when the server starts, so that the first city page does not compute the survey-wide figures
under the request's time limit, and computed once however many requests need them at once."""

from __future__ import annotations

import threading

from innovgraph.web.profiles import SurveyFigures


def _never() -> None:
    raise AssertionError("computed again")


def test_the_survey_figures_are_ready_once_the_server_has_started(web_client):
    backend = web_client.app.state.backend
    assert backend.preparing is not None  # started by the app's lifespan
    backend.preparing.join(timeout=300)
    assert not backend.preparing.is_alive()
    figures = backend.memo("survey-figures", _never)
    assert isinstance(figures, SurveyFigures)
    # The shipped graph's 79 cities each have their sections reached.
    assert len(figures.reached) == 79
    assert backend.memo("count", _never) == backend.graph_store.triples_count()


def test_requests_that_need_a_value_at_once_compute_it_once(app_client, query_project):
    backend = app_client(query_project).app.state.backend
    calls: list[int] = []
    start = threading.Barrier(4)
    results: list[object] = []

    def compute() -> object:
        calls.append(1)
        threading.Event().wait(0.3)  # long enough for the other requests to arrive
        return object()

    def request() -> None:
        start.wait()
        results.append(backend.memo("shared", compute))

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 4 and all(r is results[0] for r in results)


def test_closing_the_server_ends_its_threads(app_client, query_project):
    client = app_client(query_project)
    backend = client.app.state.backend
    threads = backend.runner._threads
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert all(t.is_alive() for t in threads)
    client.close()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
