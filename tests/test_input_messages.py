"""Input that fails validation is answered field by field, all at once, in the house voice
and the caller's language: no text of the validation library reaches a client."""

from tests.helpers import Api

LIBRARY_PHRASES = ("String should", "Input should", "Value error", "Field required", "value is")
REGISTER = """mutation($input: RegisterInput!) { register(input: $input) {
  __typename ... on ValidationError { fields { field message } } } }"""
BAD = {
    "email": "not-an-address",
    "password": "short",
    "handle": "X",
    "displayName": "D" * 300,
}


async def _fields(api: Api, language: str) -> dict[str, str]:
    answer = await api.query(REGISTER, {"input": BAD}, headers={"Accept-Language": language})
    result = answer["register"]
    assert result["__typename"] == "ValidationError"
    return {item["field"]: item["message"] for item in result["fields"]}


async def test_every_field_is_reported_at_once_without_library_text(api: Api) -> None:
    fields = await _fields(api, "en")
    assert set(fields) == {"email", "password", "handle", "displayName"}
    for text in fields.values():
        assert not any(phrase in text for phrase in LIBRARY_PHRASES), text
    assert fields["email"] == "Not an e-mail address."
    assert fields["password"] == "At least 10 characters."


async def test_messages_follow_the_callers_language(api: Api) -> None:
    fields = await _fields(api, "pl")
    assert fields["password"] == "Co najmniej 10 znaków."
    assert fields["email"] == "To nie jest adres e-mail."
