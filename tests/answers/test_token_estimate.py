from chat_helper.answers.token_estimate import estimated_tokens, input_characters, output_limit


def test_input_characters_count_every_string_the_model_reads() -> None:
    request = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "abcd" * 10}],
        "temperature": 0.5,
    }
    assert input_characters(request) == len("user") + 40


def test_estimate_is_characters_over_four_rounded_up_plus_the_output_limit() -> None:
    request = {"model": "m", "messages": [{"role": "user", "content": "x" * 9}], "max_tokens": 100}
    assert estimated_tokens(request) == 4 + 100  # (4 + 9) / 4 rounded up, plus max_tokens


def test_output_limit_counts_once_per_choice() -> None:
    request = {"model": "m", "messages": [], "max_completion_tokens": 50, "n": 3}
    assert estimated_tokens(request) == 150


def test_responses_api_input_and_output_limit() -> None:
    request = {"model": "m", "input": "y" * 8, "instructions": "z" * 4, "max_output_tokens": 7}
    assert output_limit(request) == 7
    assert estimated_tokens(request) == 3 + 7


def test_no_output_limit_estimates_the_input_alone() -> None:
    assert output_limit({"max_tokens": True}) is None
    assert estimated_tokens({"input": "abcdefgh"}) == 2
