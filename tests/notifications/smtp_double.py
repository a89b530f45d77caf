"""A scripted stand-in for the SMTP backend: counts connections and messages, and answers
each message with what the test queued (an exception to raise, or None to accept it).

    SCRIPT.replies = [ConnectionRefusedError(), None, smtplib.SMTPRecipientsRefused(...)]
    SCRIPT.refuse_connections = True   # open() raises, as a server that is down
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.mail.backends.base import BaseEmailBackend


@dataclass
class Script:
    replies: list = field(default_factory=list)
    refuse_connections: bool = False
    opened: int = 0
    connect_attempts: int = 0
    delivered: list = field(default_factory=list)
    during_send: list = field(default_factory=list)  # callables run as a message is sent

    def reset(self):
        self.__init__()


SCRIPT = Script()


class ScriptedBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        SCRIPT.connect_attempts += 1
        if SCRIPT.refuse_connections:
            raise ConnectionRefusedError(111, "Connection refused")
        SCRIPT.opened += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, email_messages):
        created = self.open()
        try:
            for message in email_messages:
                for hook in SCRIPT.during_send:
                    hook(message)
                reply = SCRIPT.replies.pop(0) if SCRIPT.replies else None
                if reply is not None:
                    raise reply
                SCRIPT.delivered.append(message)
        finally:
            if created:
                self.close()
        return len(email_messages)
