"""The canary scan itself: it must find any of the secrets wherever a file, trace log or stored object holds it."""

from testing.secret_canary import SecretCanary


def test_the_scan_finds_the_secret_in_any_file_and_counts_what_it_read(tmp_path):
    canary = SecretCanary(("sk-canary-0123", "s3canary-4567"))
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "terraform.tfstate").write_text('{"outputs": {}}')
    cache = tmp_path / "root" / ".terraform" / "openai-chat-cache" / "ab"
    cache.mkdir(parents=True)
    (cache / f"ab{'0' * 62}.json").write_text('{"identity": "... sk-canary-0123 ..."}')
    canary.scan(tmp_path)
    assert canary.found == [str(cache / f"ab{'0' * 62}.json")]
    assert (canary.files, canary.state_files, canary.cache_entries) == (2, 1, 1)
    assert "SECRET CANARY FOUND" in canary.summary()


def test_the_second_secret_is_found_too(tmp_path):
    canary = SecretCanary(("sk-canary-0123", "s3canary-4567"))
    (tmp_path / "log.txt").write_text("aws_secret_access_key = s3canary-4567\n")
    canary.scan(tmp_path)
    assert canary.found == [str(tmp_path / "log.txt")]


def test_stored_objects_are_checked_and_counted():
    canary = SecretCanary(("sk-canary-0123", "s3canary-4567"))
    canary.note_store_objects({"answers/ab/ab.json": b'{"response": {}}', "answers/.leases/x.json": b"s3canary-4567"})
    assert canary.store_objects == 2
    assert canary.found == ["object store: answers/.leases/x.json"]


def test_a_trace_log_with_the_secret_is_kept_and_reported_and_a_clean_one_removed(tmp_path):
    canary = SecretCanary(("sk-canary-0123",))
    clean, leaking = tmp_path / "clean.trace.log", tmp_path / "leaking.trace.log"
    clean.write_text("[TRACE] provider started\n")
    leaking.write_text("[TRACE] env OPENAI_API_KEY=sk-canary-0123\n")
    canary.note_trace_log(clean)
    canary.note_trace_log(leaking)
    assert not clean.exists() and leaking.exists()
    assert canary.found == [str(leaking)] and canary.trace_logs == 2
