"""What every fault scenario reports: its FAULT FIGURES line (copied into docs/benchmarks.md)
and the small steps the scenarios share."""

from __future__ import annotations

import json


def figures(name: str, server, expected: int, **extra) -> dict:
    """Delivered, duplicates and lost, counted at the SMTP server by ledger row."""
    codes = server.codes()
    found = {
        "scenario": name,
        "due": expected,
        "delivered": len(codes),
        "duplicates": sum(n - 1 for n in codes.values()),
        "lost": expected - len(codes),
        **extra,
    }
    print(f"\nFAULT FIGURES {json.dumps(found)}")
    return found


def states(stack) -> dict:
    return json.loads(stack.harness("states").stdout)


def stop(process) -> str:
    """Stops a harness process; returns what it printed."""
    if process.poll() is None:
        process.terminate()
    out, _ = process.communicate(timeout=20)
    return out or ""


def same_message_ids(server) -> bool:
    """Every copy of a message sent twice carries the same Message-ID."""
    return all(len(server.message_ids(code)) == 1 for code, n in server.codes().items() if n > 1)
