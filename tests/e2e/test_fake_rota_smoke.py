"""Smoke tests: the real Rota process runs against the fake, answers, survives faults, stops cleanly."""

from __future__ import annotations

from fakediscord import BotProcess, Driver, FakeDiscord, World


def test_rota_starts_and_help_answers_with_an_embed(bot: BotProcess, world: World, driver: Driver) -> None:
    assert "Rota is ready" in bot.log_text()
    assert world.global_commands, "Rota registered no global commands"
    alice = world.add_guild("Smoke").add_member("alice")
    answer = driver.command("help", user=alice)
    assert answer.embed is not None


def test_rota_resumes_after_a_dropped_connection(
    bot: BotProcess, fake: FakeDiscord, world: World, driver: Driver
) -> None:
    alice = world.add_guild("Dropped").add_member("alice")
    resumes = fake.resumes
    fake.drop_gateway(hold_resume=0.5)
    pending = driver.send_command("help", user=alice)  # sent while the bot is away
    assert pending.answer().embed is not None
    assert fake.resumes == resumes + 1


def test_rota_stops_cleanly_and_comes_back_after_a_kill(
    fresh_bot: BotProcess, fake: FakeDiscord, world: World, driver: Driver
) -> None:
    alice = world.add_guild("Phoenix").add_member("alice")
    assert driver.command("help", user=alice).embed is not None
    fresh_bot.kill()
    fresh_bot.start()
    assert driver.command("help", user=alice).embed is not None
    assert fresh_bot.stop() == 0
