"""Witnesses against the platform over real HTTP on loopback: the platform is pytest-django's
live server, each witness its own SQLite state and SM2 key, as in production. They co-sign a
log that grows by appending, and refuse, raise an alarm and halt on one rolled back or forked
behind the platform's back."""

import json
import signal
import socket
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from eguarantee.core.testing import assert_api_error
from eguarantee.evidence import keys, merkle, services, signing, tree
from eguarantee.evidence.models import Cosignature, Entry, LogState, Node, TreeHead, WitnessAlarm
from eguarantee.evidence.records import canonical
from eguarantee.evidence.testing import issue
from eguarantee.evidence.witness import Witness, alarm_body, now_ms
from eguarantee.guarantees.models import Guarantee
from eguarantee.guarantees.tests.factories import project
from eguarantee.notifications.models import InSiteMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def make_witness(live_server, witnesses, tmp_path):
    """make_witness("xm-zjj", log_keys=[…]) → a Witness with the registered key pair of that
    name and a state file of its own, pointed at the live server."""
    made = []

    def make(name, *, state=None, log_url=None, **kwargs):
        witness = Witness(
            log_url=log_url or live_server.url,
            name=name,
            pair=witnesses[name],
            state=state or tmp_path / f"{name}.sqlite3",
            **kwargs,
        )
        made.append(witness)
        return witness

    yield make
    for witness in made:
        witness.close()


def issue_another(ready):
    """One more guarantee, on a section of its own (one live bid guarantee per section)."""
    _, section = project(ready["users"], number=f"XMJS-2026-{Guarantee.objects.count() + 1:04d}")
    return issue(ready, section=section)


def cosigners(row):
    return set(Cosignature.objects.filter(head=row).values_list("witness__name", flat=True))


def test_two_witnesses_cosign_the_first_head_and_it_is_confirmed_only_after_the_second(
    ready, witnesses, log_key, make_witness
):
    issue(ready)
    row = services.publish_head()
    xm = make_witness("xm-zjj", log_keys=[log_key.public_hex])  # pinned by the operator
    fj = make_witness("fj-jtt")  # trusts the key /evidence/keys publishes, on first use

    result = xm.step()
    assert (result.status, result.size, result.confirmed) == ("cosigned", row.size, False)
    row.refresh_from_db()
    assert row.confirmed_at is None and cosigners(row) == {"xm-zjj"}

    result = fj.step()
    assert (result.status, result.confirmed) == ("cosigned", True)
    row.refresh_from_db()
    assert row.confirmed_at is not None and cosigners(row) == {"xm-zjj", "fj-jtt"}
    # Each co-signature is the registered witness's SM2 signature over this very head.
    for c in Cosignature.objects.filter(head=row).select_related("witness"):
        body = signing.cosign_body(services.head_of(row), c.witness.name, c.timestamp)
        signing.verify(witnesses[c.witness.name].public, body, bytes(c.signature))
    assert fj.state.keys() == {log_key.key_id: log_key.public_hex}
    assert fj.state.head().head == services.head_of(row)

    assert xm.step().status == "unchanged" and fj.step().status == "unchanged"
    assert Cosignature.objects.count() == 2 and len(xm.state.cosignatures()) == 1


def test_the_log_grows_and_both_witnesses_verify_the_consistency_proof_and_cosign(
    ready, witnesses, log_key, make_witness, settings
):
    issue(ready)
    first = services.publish_head()
    xm, fj = make_witness("xm-zjj", log_keys=[log_key.public_hex]), make_witness("fj-jtt")
    assert xm.step().ok and fj.step().ok

    issue_another(ready)
    second = services.publish_head()
    assert second.size > first.size
    assert [xm.step().status, fj.step().status] == ["cosigned", "cosigned"]
    second.refresh_from_db()
    assert second.confirmed_at is not None and cosigners(second) == {"xm-zjj", "fj-jtt"}
    assert xm.state.head().head == services.head_of(second)

    # A co-signature the platform lost (its database restored from a backup) is made again.
    Cosignature.objects.filter(head=second, witness__name="fj-jtt").delete()
    assert fj.step().status == "cosigned" and cosigners(second) == {"xm-zjj", "fj-jtt"}

    # The platform rotates its signing key: a witness pins the new key, from /evidence/keys,
    # because the head it signs is consistent with the head the witness verified.
    rotated = signing.KeyPair.generate()
    settings.EVIDENCE_SIGNING_KEY = rotated.to_hex()
    keys.clear_cache()
    issue_another(ready)
    third = services.publish_head()
    assert third.key_id == rotated.key_id
    assert [xm.step().status, fj.step().status] == ["cosigned", "cosigned"]
    assert xm.state.keys() == {log_key.key_id: log_key.public_hex, rotated.key_id: rotated.public_hex}
    # A new witness pinned to the old key has no verified head to check the new key against.
    fresh = make_witness("xm-zjj", state=xm.state.path.with_name("fresh.sqlite3"), log_keys=[log_key.public_hex])
    result = fresh.step()
    assert (result.status, result.reason) == ("refused", "unknown_key") and not fresh.halted


def rewrite_history():
    """Behind the platform's back: lower the amount in the first leaf that holds one, throw
    the tree away and build it again, then let the platform sign a head over the new tree
    with its own key, larger than any head before."""
    tampered = Entry.objects.filter(data__contains='"200000.00"').order_by("index").first()
    Entry.objects.filter(pk=tampered.pk).update(data=tampered.data.replace('"200000.00"', '"20000.00"'))
    Cosignature.objects.all().delete()
    TreeHead.objects.all().delete()
    Node.objects.all().delete()
    LogState.objects.all().delete()
    Entry.objects.update(index=None)
    return tampered


def test_a_forked_log_is_refused_the_platform_gets_the_alarm_and_the_witness_stays_halted(
    ready, witnesses, log_key, make_witness, demo_users
):
    issue(ready)
    seen = services.publish_head()
    xm, fj = make_witness("xm-zjj"), make_witness("fj-jtt")
    assert xm.step().ok and fj.step().ok

    rewrite_history()
    issue_another(ready)
    forged = services.publish_head()
    assert forged.size > seen.size and forged.key_id == log_key.key_id
    before = InSiteMessage.objects.filter(recipient=demo_users["platform_admin"]).count()

    for witness in (xm, fj):
        result = witness.step()
        assert (result.status, result.reason, result.size) == ("refused", "fork", forged.size)
        assert witness.halted
    forged.refresh_from_db()
    assert forged.confirmed_at is None and cosigners(forged) == set()
    alarms = WitnessAlarm.objects.order_by("witness__name")
    assert [(a.witness.name, a.reason) for a in alarms] == [("fj-jtt", "fork"), ("xm-zjj", "fork")]
    # The alarm carries the two heads the log signed that cannot both be true: evidence that
    # needs nobody's word, checked here as an auditor would.
    data = alarms[0].data
    assert (data["last"]["size"], data["head"]["size"]) == (seen.size, forged.size)
    for signed in (data["last"], data["head"]):
        signing.verify(log_key.public, signing.Head.from_json(signed).body(), signing.unb64(signed["signature"]))
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(
            tree.hasher(),
            seen.size,
            forged.size,
            signing.unb64(data["last"]["root"]),
            signing.unb64(data["head"]["root"]),
            [signing.unb64(p) for p in data["consistency_proof"]],
        )
    # The request committed, so the platform admins were told (on_commit) in the site.
    messages = InSiteMessage.objects.filter(recipient=demo_users["platform_admin"], title="证据日志告警")
    assert messages.count() - before == 2 and "fork" in messages.first().body

    # Halted: the next step checks and signs nothing, whatever the log now says.
    assert xm.step().status == "halted" and fj.step().status == "halted"
    assert cosigners(forged) == set() and WitnessAlarm.objects.count() == 2
    assert [a.delivered_at is not None for a in xm.state.alarms()] == [True]

    # The operator clears the alarm; the log still contradicts what the witness verified, so
    # the witness raises it again rather than co-sign.
    assert xm.clear_alarms() == 1 and not xm.halted
    assert xm.step().reason == "fork" and xm.halted
    assert cosigners(forged) == set() and WitnessAlarm.objects.count() == 3


def test_a_log_rolled_back_to_a_smaller_head_is_refused_with_a_rollback_alarm(ready, witnesses, make_witness):
    issue(ready)
    services.publish_head()
    xm = make_witness("xm-zjj")
    assert xm.step().ok
    issue_another(ready)
    newest = services.publish_head()
    assert xm.step().status == "cosigned"

    TreeHead.objects.filter(pk=newest.pk).delete()  # the platform now shows the older, smaller head
    result = xm.step()
    assert (result.status, result.reason) == ("refused", "rollback")
    alarm = WitnessAlarm.objects.get()
    assert (alarm.witness.name, alarm.reason) == ("xm-zjj", "rollback")
    assert alarm.data["last"]["size"] == newest.size > alarm.data["head"]["size"]
    assert xm.step().status == "halted" and xm.state.head().head.size == newest.size


def test_a_head_with_a_bad_signature_is_refused_and_one_with_another_root_at_the_same_size_is_a_fork(
    ready, witnesses, log_key, make_witness
):
    issue(ready)
    row = services.publish_head()
    xm = make_witness("xm-zjj")
    assert xm.step().ok

    # Not signed by the log (a proxy in between, a corrupted row): proves nothing against the
    # log, so the witness refuses this head each time but raises no alarm and does not halt.
    other = signing.Head(row.origin, row.size, b"\x07" * 32, row.algorithm, row.timestamp + 1)
    TreeHead.objects.filter(pk=row.pk).update(root=other.root, timestamp=other.timestamp)
    result = xm.step()
    assert (result.status, result.reason) == ("refused", "bad_signature") and not xm.halted
    assert not WitnessAlarm.objects.exists()

    # Signed by the log: two heads of one size with different roots.
    TreeHead.objects.filter(pk=row.pk).update(signature=log_key.sign(other.body()))
    result = xm.step()
    assert (result.status, result.reason) == ("refused", "fork") and xm.halted
    assert WitnessAlarm.objects.get().reason == "fork"


def test_an_unreachable_or_silent_log_changes_nothing_and_is_tried_again(ready, witnesses, make_witness, live_server):
    issue(ready)
    services.publish_head()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        for url in (f"http://127.0.0.1:{port}", f"http://127.0.0.1:{silent.getsockname()[1]}"):
            witness = make_witness("xm-zjj", log_url=url, timeout=0.5)
            result = witness.step()
            assert (result.status, result.reason) == ("error", "unavailable"), result
            assert witness.state.head() is None and not witness.halted and not witness.state.keys()
    # The same state, the log back: the step goes through.
    assert make_witness("xm-zjj", state=witness.state.path).step().status == "cosigned"


@pytest.mark.django_db
def test_the_platform_refuses_cosignatures_with_a_bad_signature_or_from_an_unregistered_witness(
    ready, witnesses, client
):
    issue(ready)
    row = services.publish_head()
    head = services.head_of(row)
    timestamp = now_ms()

    def post(path, body):
        return client.post(f"/evidence/{path}", json.dumps(body), content_type="application/json")

    def cosignature(name, pair, head=head):
        sig = pair.sign(signing.cosign_body(head, name, timestamp))
        return {"witness": name, "head": head.as_json(), "timestamp": timestamp, "signature": signing.b64(sig)}

    stranger = signing.KeyPair.generate()
    assert_api_error(post("cosignatures", cosignature("xm-zjj", stranger)), 400, "bad_signature")
    # xm-zjj's own signature, moved to fj-jtt's name: bound to the witness it names.
    moved = {**cosignature("xm-zjj", witnesses["xm-zjj"]), "witness": "fj-jtt"}
    assert_api_error(post("cosignatures", moved), 400, "bad_signature")
    assert_api_error(post("cosignatures", cosignature("zz-stranger", stranger)), 404, "unknown_witness")
    unsigned = signing.Head(head.origin, head.size, b"\x01" * 32, head.algorithm, head.timestamp)
    assert_api_error(post("cosignatures", cosignature("xm-zjj", witnesses["xm-zjj"], unsigned)), 400, "unknown_head")
    assert not Cosignature.objects.exists()

    alarm = {"witness": "xm-zjj", "reason": "fork", "message": "伪造", "data": {}, "timestamp": timestamp}
    forged = stranger.sign(alarm_body(**alarm))
    assert_api_error(post("alarms", {**alarm, "signature": signing.b64(forged)}), 400, "bad_signature")
    assert not WitnessAlarm.objects.exists()
    # The witness's own alarm_body is byte for byte the platform's: its signature verifies.
    assert alarm_body(**alarm) == canonical(alarm).encode() == services.alarm_body(**alarm)

    response = post("cosignatures", cosignature("xm-zjj", witnesses["xm-zjj"]))
    assert response.status_code == 201 and response.json() == {"accepted": True, "size": row.size, "confirmed": False}


def test_the_witness_runs_as_its_own_process_without_django_and_from_manage_py(ready, witnesses, live_server, tmp_path):
    issue(ready)
    row = services.publish_head()
    key_file = tmp_path / "xm-zjj.key"
    key_file.write_text(witnesses["xm-zjj"].to_hex() + "\n")
    command = ["-m", "eguarantee.evidence.witness", "--key-file", str(key_file)]

    def run(*args):  # -X importtime: every module the process imports, listed on stderr
        return subprocess.run(
            [sys.executable, "-X", "importtime", *command, *args],
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )

    printed = run("--print-public-key")
    assert printed.returncode == 0 and printed.stdout.strip() == witnesses["xm-zjj"].public_hex
    options = ["--log-url", live_server.url, "--name", "xm-zjj", "--state", str(tmp_path / "xm.sqlite3"), "--once"]
    done = run(*options)
    assert done.returncode == 0, done.stderr
    assert f"co-signed head {row.size}" in done.stderr
    imported = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert imported and not [line for line in imported if "django" in line]  # stdlib, merkle, signing only
    assert cosigners(row) == {"xm-zjj"}
    assert run(*options).returncode == 0  # unchanged

    # Without --once it checks every --interval seconds (a proof of consistency, now that the
    # log grew) until SIGTERM, and then stops cleanly.
    issue_another(ready)
    grown = services.publish_head()
    log_file = tmp_path / "loop.log"
    with open(log_file, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, *command, *options[:-1], "--interval", "0.2"], cwd=django_settings.BASE_DIR, stderr=stderr
        )
        try:
            deadline = time.monotonic() + 15
            while f"co-signed head {grown.size}" not in log_file.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    text = log_file.read_text()
    assert f"co-signed head {grown.size}" in text and process.returncode == 0 and "xm-zjj: stopped" in text, text
    assert cosigners(grown) == {"xm-zjj"}

    # manage.py run_witness: the same witness for an operator who has the platform at hand.
    fj_key = tmp_path / "fj-jtt.key"
    fj_key.write_text(witnesses["fj-jtt"].to_hex() + "\n")
    out = StringIO()
    call_command("run_witness", "--print-public-key", "--key-file", str(fj_key), stdout=out)
    assert out.getvalue().strip() == witnesses["fj-jtt"].public_hex
    call_command(
        "run_witness",
        *("--log-url", live_server.url, "--name", "fj-jtt", "--key-file", str(fj_key)),
        *("--state", str(tmp_path / "fj.sqlite3"), "--once"),
    )
    grown.refresh_from_db()
    assert cosigners(grown) == {"xm-zjj", "fj-jtt"} and grown.confirmed_at is not None
