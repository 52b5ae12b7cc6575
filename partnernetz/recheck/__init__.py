"""The re-check loop: ask partners whether their entry is still correct, and take their answers.

Tokens (signed confirmation links), the state file beside the registry
(who was asked when, answers, proposals, revoked links), the e-mails
(SMTP, ``.eml`` in a ZIP, a CSV for mail merge), the public answer, the
reminders and the digest "Was hat sich geändert". See docs/recheck.md.
"""
