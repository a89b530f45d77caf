"""An email backend for the integration tests: each message is a file in CW_IT_DIR/outbox,
named after the ledger row it came from, so the test can count sends across processes.

CW_IT_SEND_DELAY slows each send; CW_IT_HANG_AT=N makes the send after the N-th message hang
before it writes anything (marked by the file CW_IT_DIR/hanging), so a test can kill the
worker mid-batch at a known point; CW_IT_FAIL_ONCE makes the first send of the whole test
fail like a dropped SMTP connection (a forced retry).
"""

import os
import smtplib
import time
import uuid

from django.core.mail.backends.base import BaseEmailBackend


class FileMailbox(BaseEmailBackend):
    def send_messages(self, email_messages):
        root = os.environ["CW_IT_DIR"]
        outbox = os.path.join(root, "outbox")
        os.makedirs(outbox, exist_ok=True)
        for message in email_messages:
            time.sleep(float(os.environ.get("CW_IT_SEND_DELAY", "0")))
            hang_at = os.environ.get("CW_IT_HANG_AT")
            if hang_at and len(os.listdir(outbox)) >= int(hang_at):
                open(os.path.join(root, "hanging"), "w").close()
                time.sleep(600)  # until the test kills this worker
            if os.environ.get("CW_IT_FAIL_ONCE"):
                try:
                    fd = os.open(os.path.join(root, "failed-once"), os.O_CREAT | os.O_EXCL)
                except FileExistsError:
                    pass
                else:
                    os.close(fd)
                    raise smtplib.SMTPServerDisconnected("forced failure for the retry test")
            code = message.extra_headers.get("X-Cohortwise-Notification", "none")
            name = f"{code}.{uuid.uuid4().hex}.eml"
            with open(os.path.join(outbox, name), "wb") as handle:
                handle.write(message.message().as_bytes())
        return len(email_messages)
