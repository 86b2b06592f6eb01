"""PASSWORD_HASH_COST: new hashes take the configured argon2id cost (the standard one unless
set), the dummy hash for unknown addresses follows it, and hashes of either cost verify."""

from odznaka_graph.services import tokens
from odznaka_graph.settings import Settings


async def test_new_hashes_take_the_configured_cost_and_every_hash_still_verifies() -> None:
    assert Settings.model_fields["password_hash_cost"].default == "standard"
    try:
        tokens.use_password_cost("standard")
        standard = await tokens.hash_password("correct horse battery")
        assert standard.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert tokens._DUMMY_HASH.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        tokens.use_password_cost("minimum")
        minimum = await tokens.hash_password("correct horse battery")
        assert minimum.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert tokens._DUMMY_HASH.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        for stored in (standard, minimum):
            assert await tokens.password_matches(stored, "correct horse battery")
            assert not await tokens.password_matches(stored, "wrong horse battery")
        assert not await tokens.password_matches(None, "correct horse battery")
    finally:
        tokens.use_password_cost(Settings().password_hash_cost)
