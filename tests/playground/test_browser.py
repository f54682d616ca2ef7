"""The playground's page in a real browser (Debian's Chromium under Playwright), against the real bot.

A person offers a shift, someone else claims it, the card changes, the thread opens, and a day later the
reminder arrives by DM; screenshots at desktop and phone widths are kept under artifacts/. Any JavaScript
error on the page fails the test (the `page_errors` fixture).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.playground.conftest import PageErrors, Playground

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
BROWSER_ZONE = "Europe/Paris"


@pytest.fixture
def page(database_url: str, start_playground, chromium: Any, page_errors: PageErrors) -> Any:
    """The page of a playground keeping its database on each backend (`--db`)."""
    playground: Playground = start_playground("--db", database_url)
    address = playground.wait_for_address()
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", timezone_id=BROWSER_ZONE)
    page = page_errors.watch(context.new_page())
    page.set_default_timeout(20_000)
    page.goto(address)
    page.get_by_text("# shifts", exact=True).first.wait_for()
    yield page
    context.close()


def be(page: Any, name: str) -> None:
    page.get_by_label("You are").select_option(label=name)


def command(page: Any, typed: str, choice: str) -> None:
    """Type the start of a command and pick it from the completions."""
    page.locator("#command").fill(typed)
    page.locator("#suggestions button", has_text=choice).first.click()


def offer_a_shift(page: Any, where: str) -> Any:
    """Amara offers two places a day and a half ahead (so the 24 h reminder falls due a day later);
    returns the card."""
    start = (datetime.now(UTC) + timedelta(hours=36)).replace(second=0, microsecond=0)
    be(page, "Amara (organiser)")
    command(page, "/shift of", "/shift offer")
    page.locator("input[name=when]").fill(f"{start:%Y-%m-%d %H:%M}")  # the server's time zone is UTC
    page.locator("input[name=where]").fill(where)
    page.locator("#command").click()
    page.locator("#command").press("End")
    page.locator("#command").press_sequentially("pla")  # completes the option's name
    page.locator("#suggestions button", has_text="places:").click()
    page.locator("input[name=places]").fill("2")
    page.get_by_role("button", name="Send").click()
    mine = page.locator(".message.ephemeral", has_text="Posted shift")
    mine.get_by_text("Only you can see this").wait_for()
    card = page.locator(".message", has=page.locator(".embed-title", has_text=where))
    card.get_by_text("1/2 taken").wait_for()
    # Discord timestamps are shown in the reader's time zone (the browser's: Europe/Paris).
    local = start.astimezone(ZoneInfo(BROWSER_ZONE))
    when = card.locator(".embed-field", has_text="When")
    when.get_by_text(re.compile(rf"\b{local:%-I}:{local:%M}\s?[AP]M")).first.wait_for()
    return card


def test_offer_claim_thread_and_a_reminder_a_day_later(page: Any, artifacts: Path, database_url: str) -> None:
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    card = offer_a_shift(page, "Market Square")

    be(page, "Ben")
    page.get_by_text("Only you can see this").first.wait_for(state="detached")  # Amara's answer is hers alone
    card.get_by_role("button", name="Claim a place").click()
    page.locator(".message.ephemeral", has_text="You have a place").wait_for()
    card.get_by_text("2/2 taken").wait_for()
    card.locator(".embed-field", has_text="On this shift").get_by_text("Ben").wait_for()
    page.screenshot(path=artifacts / f"playground-desktop-{backend}.png")

    card.locator(".thread-link").click()
    page.locator("#channel-title", has_text="Market Square").wait_for()
    page.locator("#command").fill("See you at the fountain!")  # not a command: a message in the thread
    page.get_by_role("button", name="Send").click()
    page.locator(".message", has_text="See you at the fountain!").get_by_text("Ben").wait_for()

    page.get_by_role("button", name="+1 day").click()
    page.get_by_role("button", name="@ Rota").click()
    page.locator(".message", has_text="Reminder: you have a place").wait_for()

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="☰ Channels").click()
    page.get_by_role("button", name="# shifts").click()
    card.get_by_text("2/2 taken").wait_for()
    page.screenshot(path=artifacts / f"playground-phone-{backend}.png")
    assert page.locator("#violations").is_hidden(), page.locator("#violations").text_content()


def test_a_modal_is_a_form_and_options_use_the_bots_autocomplete(page: Any) -> None:
    be(page, "Chloe")
    page.get_by_role("button", name="# general").click()
    command(page, "/propose", "/propose")
    page.get_by_role("button", name="Send").click()
    form = page.get_by_role("dialog")
    form.get_by_label("Title").fill("Buy a second gazebo")
    form.locator("textarea").fill("The old one leaks; the fund can pay for it.")
    form.get_by_role("button", name="Submit").click()
    page.locator(".embed-title", has_text="Buy a second gazebo").wait_for()

    command(page, "/proposal sh", "/proposal show")
    page.locator("input[name=proposal]").press_sequentially("gaz")
    page.locator(".choices button", has_text="Buy a second gazebo").click()
    page.get_by_role("button", name="Send").click()
    page.locator(".message.ephemeral .embed-title", has_text="Buy a second gazebo").wait_for()


def test_the_language_switcher_gives_a_member_their_discord_language(page: Any) -> None:
    card = offer_a_shift(page, "Library steps")
    be(page, "Dev")
    page.get_by_label("Language").select_option("fr")
    page.wait_for_function("!document.getElementById('locale').disabled")  # the stand-in took it
    page.locator("#command").fill("/créneau pro")  # command names as a French client shows them
    page.locator("#suggestions button", has_text="/créneau proposer").get_by_text("Proposer un créneau").wait_for()
    page.locator("#command").fill("")
    card.get_by_role("button", name="Claim a place").click()  # the public card stays in the server's language
    page.locator(".message.ephemeral", has_text="Tu as une place").wait_for()


def test_a_select_menu_claims_a_place_from_the_list(page: Any) -> None:
    card = offer_a_shift(page, "Bus station")
    be(page, "Chloe")
    command(page, "/shift li", "/shift list")
    page.get_by_role("button", name="Send").click()
    listing = page.locator(".message.ephemeral", has=page.locator("select"))
    listing.locator("select").select_option(index=1)  # the first shift after the placeholder
    page.locator(".message.ephemeral", has_text="You have a place").wait_for()
    card.get_by_text("2/2 taken").wait_for()


def test_a_week_on_the_facilitator_hands_over(page: Any) -> None:
    page.get_by_role("button", name="# announcements").click()
    handovers = page.locator(".message", has_text="is the facilitator")
    handovers.first.wait_for()  # the first volunteer took the turn when the rota began
    before = handovers.count()
    page.get_by_role("button", name="+1 week").click()
    handovers.nth(before).wait_for()  # the turn passed on: a new announcement
    be(page, "Ben")
    page.locator(".message.pinged", has_text="Ben is the facilitator").wait_for()  # it notified Ben


def test_files_the_bot_sends_open_on_the_page(page: Any) -> None:
    page.get_by_role("button", name="# general").click()
    command(page, "/stats", "/stats")
    page.get_by_role("button", name="Send").click()
    chart = page.locator(".message.ephemeral .embed img")
    chart.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())

    command(page, "/shift cal", "/shift calendar")
    page.get_by_role("button", name="Send").click()
    link = page.locator(".message.ephemeral a.attachment", has_text="rota-shifts.ics")
    calendar = page.request.get(page.url.rstrip("/") + link.get_attribute("href"))
    assert calendar.ok and calendar.text().startswith("BEGIN:VCALENDAR"), calendar.text()[:200]
