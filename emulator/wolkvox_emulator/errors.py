"""The error answers Wolkvox documents: HTTP status, `error` label and `msg`, by name.

Wording that the public docs do not quote (range errors, maintenance) is this emulator's own;
the tap does not depend on it.
"""

from __future__ import annotations

SIMULTANEOUS_LIMIT = 2  # requests in flight per token

ERRORS = {
    "missing_token": (401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN"),
    "invalid_token": (403, "FORBIDDEN", "PLEASE VALIDATE TOKEN"),
    "quota": (403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED"),
    "concurrency": (
        403,
        "FORBIDDEN",
        f"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({SIMULTANEOUS_LIMIT})",
    ),
    "maintenance": (403, "FORBIDDEN", "SERVER UNDER MAINTENANCE, PLEASE TRY AGAIN LATER"),
    "ip_refused": (403, "FORBIDDEN", "YOUR IP IS NOT AUTHORIZED"),
    "missing_params": (400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED"),
    "unknown_api": (400, "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST"),
    "bad_date": (400, "BAD REQUEST", "INVALID DATE FORMAT, USE YYYYmmddHHiiss"),
    "range": (400, "BAD REQUEST", "THE MAXIMUM RANGE OF DAYS TO CONSULT IS 31"),
    "empty_window": (404, "NOT FOUND", "Validate dates entered"),
    "not_dedicated": (404, "NOT FOUND", "THIS SERVER IS NOT DEDICATED"),
    "rate_limit": (429, "TOO MANY REQUESTS", "TOO MANY REQUESTS"),
    "server_error": (500, "INTERNAL SERVER ERROR", "INTERNAL SERVER ERROR"),
    "bad_gateway": (502, "BAD GATEWAY", "BAD GATEWAY"),
    "unavailable": (503, "SERVICE UNAVAILABLE", "SERVICE UNAVAILABLE"),
}
