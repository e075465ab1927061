"""A run's counts: a reservation whose holder is gone is counted as used; in a store, a change that
loses the race to another machine's is made again over the counts as they stand."""

import time
from dataclasses import dataclass, field

from chat_helper.answers.run_counts import Counts, Reservation, StoreCounts, decoded_counts
from chat_helper.core.store_url import parse_store_url
from chat_helper.object_store.store import StoredObject


def test_an_abandoned_reservation_is_counted_as_used():
    counts = Counts(3, 100, {"gone": Reservation(50, time.time() - 1), "live": Reservation(70, time.time() + 60)})

    assert counts.count_the_abandoned(time.time())

    assert (counts.tokens, list(counts.in_flight), counts.reserved) == (150, ["live"], 70)


def test_counts_survive_their_encoding_and_damage_counts_anew():
    counts = Counts(2, 40, {"a": Reservation(10, 1.5)})
    assert decoded_counts(counts.encoded()) == counts
    assert decoded_counts(b'{"requests": "2", "tokens": 1}') == Counts()
    assert decoded_counts(b"not json") == Counts()


@dataclass
class RacingStore:
    """An object store's conditional writes, with another machine's change slipped in before our first."""

    location = parse_store_url("s3://bucket/answers")
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    writes: int = 0
    deadline: float = 0.0

    def read(self, key: str, doing: str) -> StoredObject | None:
        found = self.objects.get(key)
        return None if found is None else StoredObject(found[0], found[1], None, None)  # type: ignore[arg-type]

    def create(self, key: str, body: bytes, doing: str) -> str | None:
        self._race(key)
        if key in self.objects:
            return None
        return self._write(key, body)

    def replace(self, key: str, body: bytes, etag: str, doing: str) -> str | None:
        self._race(key)
        if self.objects.get(key, (b"", ""))[1] != etag:
            return None
        return self._write(key, body)

    def _race(self, key: str) -> None:
        if self.writes == 0:  # the other machine counts its request first
            self._write(key, Counts(1, 0, {}).encoded())

    def _write(self, key: str, body: bytes) -> str:
        self.writes += 1
        self.objects[key] = (body, f"etag-{self.writes}")
        return f"etag-{self.writes}"


def test_a_change_that_loses_the_race_is_made_again_over_the_other_machines():
    store = RacingStore()
    counts = StoreCounts(store, "pipeline-abc")

    def one_more(current: Counts) -> bool:
        current.requests += 1
        return True

    deadline = time.monotonic() + 10
    counts.update(one_more, deadline)

    [(key, (body, _))] = store.objects.items()
    assert key == "answers/.runs/pipeline-abc.json"
    assert decoded_counts(body).requests == 2  # the other machine's and ours
    assert store.deadline == deadline  # the store's exchanges keep to the change's own time
