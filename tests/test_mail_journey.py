"""The whole journey by mail (issue 14), through a uvicorn API process whose mail worker
sends to a real SMTP server process: an award waits for an unknown address, its owner
gets the claim invitation, registers, opens the verification link from the mail, finds the
award claimed, resets the password by the mailed link, downloads the data archive by its
mailed link and deletes the account."""

import re
import time
from pathlib import Path

import httpx

from odznaka_graph.mail import mailbox
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.settings import Settings
from tests.api_process import (
    AWARD,
    PASSWORD,
    api_process,
    gql,
    published_badge,
    register,
    verified_reviewer,
)
from tests.mail_helpers import SmtpServer

LINK = re.compile(r"(http://\S+?)\?token=(\S+)")
EXPORT_LINK = re.compile(r"/account/export#([^.\s]+)\.(\S+)")


def _mail(smtp: SmtpServer, to: str, subject: str) -> mailbox.Received:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = [m for m in smtp.to(to) if m.subject.startswith(subject)]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail '{subject}' to {to}: {[m.subject for m in smtp.to(to)]}")


def _follow(mail: mailbox.Received, field: str = "token", **form: str) -> str:
    """Open the mail's link (a page with a form), then send the form; the answer page."""
    page, token = LINK.search(mail.part("plain")).groups()  # type: ignore[union-attr]
    shown = httpx.get(f"{page}?token={token}", timeout=30)
    assert shown.status_code == 200 and "<form method='post'>" in shown.text
    answer = httpx.post(page, data={field: token, **form}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_claim_invitation_verification_and_password_reset_by_real_mail(
    settings: Settings, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    var = tmp_path / "api"
    var.mkdir()
    env = {"SMTP_URL": smtp_server.url, "MAIL_POLL_SECONDS": "0.1"}
    with api_process(settings, var, **env) as base:
        checker = verified_reviewer(base, "journeychecker", var, smtp_server.store)
        owner = register(base, "journeyowner")
        badge_id = published_badge(base, owner["accessToken"], checker["accessToken"])
        learner = "journey.learner@example.org"
        award = {"badgeId": badge_id, "recipientEmail": learner}
        gql(base, AWARD, {"i": award}, owner["accessToken"])
        invitation = _mail(smtp_server, learner, "Czeka na Ciebie odznaka")
        assert f"http://{base}/graphql" in invitation.part("plain")

        session = register(base, "journeylearner", learner)
        confirmed = _follow(_mail(smtp_server, learner, "Potwierdź adres"))
        assert "Adres potwierdzony" in confirmed
        held = gql(base, "{ me { awards { totalCount } } }", token=session["accessToken"])
        assert held["me"]["awards"]["totalCount"] == 1

        asked = gql(
            base,
            "mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) "
            "{ __typename } }",
            {"i": {"email": learner}},
        )
        assert asked["requestPasswordReset"]["__typename"] == "PasswordResetRequested"
        new_password = "journey's new password"
        reset = _follow(_mail(smtp_server, learner, "Ustaw nowe hasło"), password=new_password)
        assert "Hasło zmienione" in reset
        login = "mutation($i: LoginInput!) { login(input: $i) { __typename } }"
        old = gql(base, login, {"i": {"email": learner, "password": PASSWORD}})
        assert old["login"]["__typename"] != "AuthPayload"
        new = gql(base, login, {"i": {"email": learner, "password": new_password}})
        assert new["login"]["__typename"] == "AuthPayload"
        assert _mail(smtp_server, learner, "Hasło zostało zmienione")
        _export_and_delete(base, smtp_server, learner, new_password)
    subjects = [m.subject for m in smtp_server.to(learner)]
    assert len(subjects) == len(set(subjects)) == 6  # each sent once


def _export_and_delete(base: str, smtp: SmtpServer, learner: str, password: str) -> None:
    """The rest of the journey: the data archive by its mailed link, then deletion."""
    login = "mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }"
    token = gql(base, login, {"i": {"email": learner, "password": password}})["login"]
    access = token["accessToken"]
    started = gql(base, "mutation { exportMyData { __typename } }", token=access)
    assert started["exportMyData"]["__typename"] == "DataExportStarted"
    ready = _mail(smtp, learner, "Twoje dane są gotowe")
    export_id, secret = EXPORT_LINK.search(ready.part("plain")).groups()  # type: ignore[union-attr]
    archive = httpx.post(
        f"http://{base}/account/export", data={"id": export_id, "token": secret}, timeout=30
    )
    assert archive.status_code == 200 and learner in archive.text
    assert len(archive.json()["awards"]) == 1  # the claimed award is in it
    delete = "mutation($i: DeleteMyAccountInput!) { deleteMyAccount(input: $i) { __typename } }"
    done = gql(base, delete, {"i": {"password": password}}, access)
    assert done["deleteMyAccount"]["__typename"] == "AccountDeletionScheduled"
    assert _mail(smtp, learner, "Twoje konto zostanie usunięte")


def test_serve_without_smtp_url_runs_a_local_smtp_server_and_shows_its_mail(
    settings: Settings, tmp_path: Path
) -> None:
    """What `make run` does: no SMTP_URL, so `serve` starts the development SMTP server,
    and DEV_MAILBOX shows what it received at /dev/mailbox."""
    var = tmp_path / "api"
    var.mkdir()
    env = {"DEV_MAILBOX": "true", "DEV_SMTP_PORT": str(free_port()), "MAIL_POLL_SECONDS": "0.1"}
    with api_process(settings, var, **env) as base:
        register(base, "devmailboxuser", "dev.mailbox@example.org")
        deadline = time.monotonic() + 60
        page = httpx.get(f"http://{base}/dev/mailbox")
        while "dev.mailbox@example.org" not in page.text:
            assert time.monotonic() < deadline, page.text
            time.sleep(0.2)
            page = httpx.get(f"http://{base}/dev/mailbox")
        assert "Potwierdź adres e-mail" in page.text
    assert [m.rcpt_to for m in mailbox.messages(var / "mailbox.db")] == ["dev.mailbox@example.org"]
