"""The view's arithmetic: reservations in the buckets, re-anchoring on reports, the AIMD window."""

from chat_helper.answers.rate_view import INITIAL_WINDOW, Meter, View
from chat_helper.openai_api.rate_headers import Bucket, RateReport

NOW = 1_000_000.0


def _tokens_view(limit: float, level: float) -> View:
    return View(tokens=Meter(limit, limit / 60, level, NOW))


def test_reservations_queue_behind_each_other_as_the_bucket_refills():
    view = _tokens_view(6000, 300)  # 100 tokens a second
    moments = []
    for number in range(5):
        moment = view.earliest(NOW, 100)
        view.reserve(f"r{number}", 1, moment, 100)
        moments.append(moment - NOW)
    assert moments == [0, 0, 0, 1.0, 2.0]


def test_a_request_larger_than_what_is_left_waits_for_exactly_its_tokens():
    view = _tokens_view(6000, 0)
    assert view.earliest(NOW, 250) - NOW == 2.5


def test_the_users_requests_per_minute_is_a_sliding_window_over_the_same_sends():
    view = View()
    for number in range(3):
        view.reserve(f"r{number}", 1, view.earliest(NOW, 10, per_minute=3), 10)
    assert view.earliest(NOW, 10, per_minute=3) > NOW + 60
    assert view.earliest(NOW, 10) == NOW  # without the cap, nothing holds it


def test_a_report_re_anchors_on_what_the_server_had_left_minus_what_was_sent_after():
    view = _tokens_view(6000, 6000)
    view.reserve("first", 1, NOW, 100)
    view.reserve("second", 1, NOW + 0.5, 100)
    # Another client used 3000: the server had 2900 left after "first" arrived.
    report = RateReport(tokens=Bucket(6000, 2900, 31.0))
    view.answered("first", report, NOW + 1, 100)
    assert view.tokens is not None
    # 2900 + 1 s of refill (100), minus "second", sent after "first" and not in the report.
    assert view.tokens.level_at(NOW + 1) == 2900 + 100 - 100


def test_an_older_report_never_overrides_a_newer_one():
    view = _tokens_view(6000, 6000)
    view.reserve("early", 1, NOW, 100)
    view.reserve("late", 1, NOW + 1, 100)
    view.answered("late", RateReport(tokens=Bucket(6000, 5000, 10.0)), NOW + 2, 100)
    view.answered("early", RateReport(tokens=Bucket(6000, 10, 59.0)), NOW + 3, 100)
    assert view.tokens is not None and view.tokens.level_at(NOW + 2) == 5000 + 100


def test_the_window_grows_by_one_per_answer_without_headers_and_halves_once_per_round_trip():
    view = View()
    for number in range(4):
        view.reserve(f"r{number}", 1, NOW, 10)
    view.answered("r0", RateReport(), NOW + 1, 10)
    assert view.window == INITIAL_WINDOW + 1  # slow start
    view.rate_limited("r1", RateReport(try_again_seconds=2.0), NOW + 1.1)
    assert view.window == (INITIAL_WINDOW + 1) / 2
    assert view.blocked_until == NOW + 1.1 + 2.0
    view.rate_limited("r2", RateReport(), NOW + 1.2)  # sent before the decrease: the same congestion
    assert view.window == (INITIAL_WINDOW + 1) / 2
    view.reserve("r4", 1, NOW + 4, 10)
    view.rate_limited("r4", RateReport(), NOW + 4.5)  # sent after it: a new one
    assert view.window == (INITIAL_WINDOW + 1) / 4
    window = view.window
    view.answered("r3", RateReport(), NOW + 5, 10)
    assert view.window == window + 1 / window  # past the threshold: one more per round trip


def test_the_window_jumps_to_the_room_the_headers_report():
    view = View()
    view.reserve("r0", 1, NOW, 100)
    view.answered("r0", RateReport(Bucket(5000, 4999, 0.012), Bucket(160000, 159900, 0.1)), NOW + 1, 100)
    assert view.window >= 1000


def test_a_429_without_headers_that_names_its_limit_teaches_the_bucket():
    view = View()
    view.reserve("r0", 1, NOW, 800)
    view.rate_limited("r0", RateReport(try_again_seconds=1.6, exhausted="tokens", named_limit=30000), NOW)
    assert view.tokens is not None and view.tokens.limit == 30000
    assert view.sends == []  # refused: the server did not count it


def test_a_block_that_cannot_fit_is_seen_before_sending():
    view = _tokens_view(24000, 0)  # 400 tokens a second
    last = view.all_sent_by(NOW, 400, 400 * 400)
    assert last is not None and round(last - NOW) == 400
    assert View().all_sent_by(NOW, 400, 160000) is None  # nothing known: nothing to say


def test_an_unreadable_file_is_a_fresh_view():
    for value in (None, [], {"window": "wide"}, {"sends": [["x"]]}):
        assert View.from_json(value).window == INITIAL_WINDOW
    view = _tokens_view(6000, 10)
    view.reserve("r0", 1, NOW, 5)
    assert View.from_json(view.to_json()) == view
