"""``sitegen notify``: tell search engines which job pages changed in a deploy.

What changed is computed from what the previously deployed board publishes (its
``sitegen-jobs.json``, else its sitemap) and the new build's ``sitegen-jobs.json``; nothing
is kept on the build machine. A new job page or one whose shown content changed is
*updated*; one that was removed, expired or lost its JobPosting markup is *deleted*. A
previous board that cannot be reached, or publishes neither file, counts as empty: every
live job page is updated.

Then Google's Indexing API gets one ``publish`` request per URL (newest first, at most
``google_daily_quota``), authorised with a token from the OAuth 2.0 JWT bearer flow that
google-auth runs with the service account's key; and IndexNow gets one POST with every
changed URL. Nothing here writes a file.

The package's modules, one job each: ``changes`` (what changed), ``google`` (the Indexing
API), ``indexnow`` (IndexNow), ``http`` (the requests, and google-auth's transport over
them), ``report`` (what the user reads); this module runs them in order.
"""

from __future__ import annotations

import json
from pathlib import Path

from site_gen.config import NOTIFY_ENVIRONMENT, NotifySettings
from site_gen.notify.changes import UPDATED, compute_changes, read_new, read_previous
from site_gen.notify.google import google_account, send_google
from site_gen.notify.indexnow import check_key_file, indexnow_body, send_indexnow
from site_gen.notify.report import NotifyReport, not_sent

__all__ = ["NotifyReport", "notify"]


def notify(
    settings: NotifySettings, output: Path, previous: str, *, dry_run: bool = False
) -> NotifyReport:
    """Compare, then notify every engine that has its key or credentials."""
    new = read_new(output)
    before = read_previous(previous, new.base_url)
    changes = compute_changes(before, new)
    report = NotifyReport()
    updated = sum(c.kind == UPDATED for c in changes)
    if before.jobs:
        kind = "digests" if before.exact else "dates in the sitemap"
        report.lines.append(
            f"Compared {len(new.pages)} live job pages with {before.source} ({kind}): "
            f"{updated} new or changed, {len(changes) - updated} removed or expired"
        )
    else:
        report.lines.append(
            f"No previous job pages ({before.source}): all {len(new.pages)} live job pages "
            "count as new"
        )
    account = google_account(settings.google_credentials) if settings.google_credentials else None
    key = settings.indexnow_key
    if key:
        check_key_file(output, key)
    verb = "would send" if dry_run else "sent"
    if account is None:
        report.lines.append(
            "Google Indexing API: skipped (set [notify] google_credentials or "
            f"{NOTIFY_ENVIRONMENT['google_credentials']})"
        )
    elif not changes:
        report.lines.append("Google Indexing API: nothing to send")
    else:
        quota = settings.google_daily_quota
        within, beyond = changes[:quota], changes[quota:]
        for change in within if dry_run else ():
            report.lines.append(f"Google Indexing API: would send {change.kind} {change.url}")
        count = (
            len(within)
            if dry_run
            else send_google(within, account, settings.google_endpoint, report)
        )
        report.lines.append(f"Google Indexing API: {verb} {count} of {len(changes)} notifications")
        if beyond:
            report.lines.append(
                f"Google Indexing API: {len(beyond)} not sent, beyond google_daily_quota = {quota} "
                "(the oldest postings; the sitemap still lists them):"
            )
            not_sent(report, "Google Indexing API", beyond)
    if not key:
        report.lines.append(
            f"IndexNow: skipped (set [notify] indexnow_key or {NOTIFY_ENVIRONMENT['indexnow_key']})"
        )
    elif not changes:
        report.lines.append("IndexNow: nothing to send")
    else:
        urls = [c.url for c in changes]
        if dry_run:
            body = json.dumps(indexnow_body(urls, key, new.base_url), indent=1)
            report.lines.append(f"IndexNow: would POST to {settings.indexnow_endpoint}: {body}")
            count = len(urls)
        else:
            count = send_indexnow(urls, key, new.base_url, settings.indexnow_endpoint, report)
        report.lines.append(f"IndexNow: {verb} {count} of {len(urls)} URLs")
    if dry_run:
        report.lines.append("Dry run: nothing was sent.")
    return report
