"""The "Noch aktuell?" e-mails: one personal message per partner, with its own link.

Built as MIME messages (:mod:`email.mime`, plain text, UTF-8) (German, or English where the
entry says ``mail_language: en``). They go out through the county's SMTP
relay when ``[smtp]`` is set in the secrets file, or are handed over as a
ZIP of ``.eml`` files or a CSV for Outlook's mail merge (Word "Seriendruck").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import smtplib
import ssl
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from partnernetz.errors import RecheckError
from partnernetz.i18n import t
from partnernetz.recheck.state import Channel, Request
from partnernetz.recheck.tokens import DEFAULT_VALID_DAYS, make_token, new_token_id

LINK_PATH = "bestaetigen"


class SmtpSettings(BaseModel, frozen=True, extra="forbid"):
    """``[smtp]`` in ``.streamlit/secrets.toml``."""

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    user: str | None = None
    password: str | None = None
    from_: str = Field(alias="from", min_length=3)
    starttls: bool = True
    timeout: float = Field(30.0, gt=0, le=600)


def smtp_settings(section: Mapping[str, Any] | None) -> SmtpSettings | None:
    """The SMTP relay of ``[smtp]``; None when there is none.

    Raises
    ------
    RecheckError
        The section is there but incomplete or wrong (German, naming the key).
    """
    if not section:
        return None
    try:
        return SmtpSettings.model_validate(dict(section))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first.get("loc", ())) or "?"
        raise RecheckError(f"secrets.toml, [smtp] {key}: {first.get('msg', 'ungültig')}") from exc


def mail_language(entry: Mapping[str, Any]) -> str:
    """``en`` when the entry asks for English mail, else ``de``."""
    return "en" if entry.get("mail_language") == "en" else "de"


def recipient(entry: Mapping[str, Any]) -> str | None:
    """Where the request goes: the entry's e-mail, else its first public contact's."""
    email = str(entry.get("email") or "").strip()
    if email:
        return email
    for contact in entry.get("contacts") or []:
        if isinstance(contact, Mapping) and contact.get("visibility", "internal") == "public":
            email = str(contact.get("email") or "").strip()
            if email:
                return email
    return None


def confirmation_link(base_url: str, token: str) -> str:
    """The link of a token: ``<base>/bestaetigen?token=…``."""
    return f"{base_url.rstrip('/')}/{LINK_PATH}?token={token}"


def _entry_lines(entry: Mapping[str, Any], lang: str) -> list[str]:
    address = entry.get("address") or {}
    place = " ".join(str(p) for p in (address.get("postcode"), entry.get("town")) if p)
    where = ", ".join(p for p in (str(address.get("street") or ""), place) if p)
    rows = [
        ("recheck.field.name", entry.get("name")),
        ("recheck.field.operator", entry.get("operator")),
        ("recheck.field.address", where),
        ("recheck.field.phone", entry.get("phone")),
        ("recheck.field.email", entry.get("email")),
        ("recheck.field.website", entry.get("website")),
        ("recheck.field.opening_hours", entry.get("opening_hours")),
        ("recheck.field.offers", ", ".join(str(o) for o in entry.get("offers") or [])),
    ]
    return [f"{t(key, lang)}: {value}" for key, value in rows if value]


@dataclass(frozen=True)
class MailText:
    """What one request says: recipient, subject and plain-text body."""

    to: str
    name: str
    lang: str
    subject: str
    body: str


def compose_request(
    entry: Mapping[str, Any],
    *,
    link: str,
    region: str,
    sender_name: str | None = None,
    reminder: int = 0,
    valid_until: dt.date,
) -> MailText:
    """The words of the e-mail asking one partner whether its entry is still correct.

    ``reminder`` is 0 for the first request, 1 and 2 for the reminders.
    Plain text only: nothing of the partner's text is ever HTML here.
    """
    to = recipient(entry)
    if not to:
        raise RecheckError(f"{entry.get('id')}: keine E-Mail-Adresse für die Nachfrage")
    lang = mail_language(entry)
    name = str(entry.get("name") or "")
    subject = t("recheck.mail.subject", lang, name=name)
    if reminder:
        subject = t("recheck.mail.reminder_prefix", lang) + " " + subject
    date_text = valid_until.strftime("%d.%m.%Y") if lang == "de" else valid_until.isoformat()
    lines = [
        t("recheck.mail.greeting", lang),
        "",
        t("recheck.mail.intro", lang, region=region),
        "",
        *_entry_lines(entry, lang),
        "",
        t("recheck.mail.ask", lang),
        "",
        link,
        "",
        t("recheck.mail.valid", lang, date=date_text),
        t("recheck.mail.no_account", lang),
        "",
        t("recheck.mail.thanks", lang),
    ]
    if sender_name:
        lines.append(sender_name)
    return MailText(to, name, lang, " ".join(subject.split()), "\n".join(lines) + "\n")


def _header(text: str, charset: Charset) -> str | Header:
    """``text`` as a header value (ASCII stays as it is, else encoded words)."""
    if text.isascii():
        return text
    return Header(text, charset)


def _address(name: str | None, address: str) -> str:
    """``Name <address>``; a non-ASCII name as one encoded word (never folded inside the phrase)."""
    return formataddr((name, address), charset="utf-8") if name else address


def to_message(text: MailText, *, sender: str, sender_name: str | None, partner_id: str,
               now: dt.datetime) -> Message:
    """``text`` as a MIME message (UTF-8 plain text, quoted-printable, encoded headers)."""
    charset = Charset("utf-8")
    charset.body_encoding = QP
    charset.header_encoding = QP  # not SHORTEST: folding would measure both encodings every time
    message = MIMEText(text.body, "plain", charset)
    message["From"] = _address(sender_name, sender)
    message["To"] = _address(text.name, text.to)
    message["Subject"] = _header(text.subject, charset)
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    domain = sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=partner_id[:40], domain=domain)
    message["Content-Language"] = text.lang
    message["X-Partnernetz-Partner"] = partner_id
    return message


@dataclass(frozen=True)
class PreparedMail:
    """One e-mail ready to go, and the request to record once it went."""

    partner_id: str
    text: MailText
    message: Message
    request: Request
    link: str

    @property
    def name(self) -> str:
        """The partner's name."""
        return self.text.name


def prepare_requests(
    entries: Mapping[str, Mapping[str, Any]],
    partner_ids: Sequence[str],
    *,
    key: bytes,
    base_url: str,
    region: str,
    sender: str,
    sender_name: str | None,
    by: str,
    channel: Channel,
    now: dt.datetime,
    reminders: Mapping[str, int] | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> tuple[list[PreparedMail], list[str]]:
    """One personal e-mail per partner in ``partner_ids``; also the ids without an address."""
    prepared: list[PreparedMail] = []
    skipped: list[str] = []
    valid_until = (now + dt.timedelta(days=valid_days)).date()
    for partner_id in partner_ids:
        entry = entries.get(partner_id)
        to = recipient(entry) if entry else None
        if entry is None or not to:
            skipped.append(partner_id)
            continue
        token_id = new_token_id()
        link = confirmation_link(base_url, make_token(partner_id, key=key, issued=now, token_id=token_id))
        text = compose_request(entry, link=link, region=region, sender_name=sender_name,
                               reminder=(reminders or {}).get(partner_id, 0), valid_until=valid_until)
        message = to_message(text, sender=sender, sender_name=sender_name, partner_id=partner_id, now=now)
        request = Request(partner_id=partner_id, token_id=token_id, sent=now, channel=channel, to=to,
                          by=by, lang=text.lang)
        prepared.append(PreparedMail(partner_id, text, message, request, link))
    return prepared, skipped


def send_mails(mails: Iterable[PreparedMail], settings: SmtpSettings) -> list[Request]:
    """Send through the SMTP relay; returns the requests of the mails that went out.

    Raises
    ------
    RecheckError
        The relay cannot be reached or refuses (German; mails sent before
        the failure are in the error's ``sent`` attribute).
    """
    sent: list[Request] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            for mail in mails:
                smtp.send_message(mail.message, from_addr=settings.from_)
                sent.append(mail.request)
    except (OSError, smtplib.SMTPException) as exc:
        error = RecheckError(
            f"Der Mailserver {settings.host}:{settings.port} hat nicht angenommen "
            f"({type(exc).__name__}); {len(sent)} E-Mails wurden verschickt, die übrigen nicht"
        )
        error.sent = sent  # type: ignore[attr-defined]
        raise error from exc
    return sent


def eml_zip(mails: Iterable[PreparedMail]) -> bytes:
    """A ZIP with one ``<partner-id>.eml`` per e-mail (to open and send in any mail program)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for mail in mails:
            archive.writestr(f"{mail.partner_id}.eml", mail.message.as_bytes())
    return buffer.getvalue()


MERGE_COLUMNS = ("EMail", "Name", "Betreff", "Link", "Sprache", "Text")


def _cell(text: str) -> str:
    """Neutralise a spreadsheet formula at the start of a cell."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def mail_merge_csv(mails: Iterable[PreparedMail]) -> bytes:
    """A CSV for Outlook's mail merge (UTF-8 with BOM, ``;``): address, name, subject, link, text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(MERGE_COLUMNS)
    for mail in mails:
        row = (mail.request.to or "", mail.name, mail.text.subject, mail.link, mail.request.lang,
               mail.text.body.strip())
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
