"""The law-change radar (`handbook law-radar`): which cited provisions to re-read because their act changed.

For each SFS act that legal.yaml cites, one GET asks the Government Offices' SFS register
(rkrattsbaser.gov.se/sfsr) for the act's amending acts, each with its scope text and entry-into-force
date, and its repeal. When the register cannot be reached or answers in a shape this module does not
know, the Riksdag's open data (dokumentstatus/sfs-YYYY-NNN.json) is asked for the act-level "t.o.m." and
repeal instead, and the failure is still reported. Each provision is compared with the amendments
after its `consolidated_through`: amendment lists, never timestamps (bulk reloads bump those).

The fetcher is injectable; the tests use recorded responses and a fake that times out, never sockets.
"""

from __future__ import annotations

import datetime as dt
import html
import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from handbook.core.model import Handbook, Provision, at, sfs_order
from handbook.tools.sfsscope import NEW, RENUMBERED, REPEALED, SUBSTANTIVE, UNCLEAR, Touch, parse_citation, parse_scope

REGISTER = "https://rkrattsbaser.gov.se/sfsr?bet={sfs}"
RIKSDAGEN = "https://data.riksdagen.se/dokumentstatus/sfs-{year}-{number}.json"
RIKSDAGEN_PAGE = "https://data.riksdagen.se/dokument/sfs-{year}-{number}.html"
# Says which tool asks and how often; names no handbook (any handbook runs the same engine).
USER_AGENT = "handbook-law-radar/1 (handbok för socialtjänsten; en GET per lag i veckan)"
TIMEOUT = 20  # seconds per request
MAX_BYTES = 8_000_000

# Exit codes: distinct, so a scheduled job can tell "changes found" from "could not look".
EXIT_CLEAR, EXIT_REREAD, EXIT_CANNOT_RUN, EXIT_SOURCE = 0, 1, 2, 3

REREAD, COMING, ELSEWHERE, NO_BASELINE = "reread", "coming", "elsewhere", "no-baseline"
SFS_RE = re.compile(r"(\d{4}):(\d{1,4})")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SourceError(Exception):
    """A source could not be reached or answered in a shape the radar does not know (Swedish reason)."""


Fetch = Callable[[str, str], str]  # (url, recorded file name) -> response text; raises SourceError


def sfs_key(sfs: str) -> tuple[int, int]:
    """core.model.sfs_order, for values the radar has already judged to be SFS numbers."""
    key = sfs_order(sfs)
    if key is None:
        raise ValueError(sfs)
    return key


def _dashed(sfs: str) -> str:
    year, number = sfs_key(sfs)
    return f"{year}-{number}"


# --- Fetching -----------------------------------------------------------------------------


def http_fetch(url: str, recorded: str = "", timeout: float = TIMEOUT) -> str:
    """One GET with a timeout and a User-Agent that says who asks; every failure is a SourceError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https only, fixed hosts)
            data = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as error:
        raise SourceError(f"svarade med felkod {error.code}") from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as error:
        raise SourceError(f"gick inte att nå ({_reason(getattr(error, 'reason', error))})") from None
    if len(data) > MAX_BYTES:
        raise SourceError("svarade med mer data än väntat")
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise SourceError("svarade med text som inte gick att läsa (teckenkodning)") from None


def _reason(error: object) -> str:
    """Why a request failed, in Swedish, with the technical name for whoever debugs it."""
    name = type(error).__name__
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return f"inget svar inom {TIMEOUT} sekunder, {name}"
    if name == "gaierror":
        return f"adressen kunde inte slås upp, {name}"
    if isinstance(error, ConnectionError):
        return f"anslutningen avbröts eller nekades, {name}"
    return name


def offline_fetch(folder: Path) -> Fetch:
    """Recorded responses in folder, named as the sources name them (sfsr-1990-52.html …)."""

    def fetch(url: str, recorded: str) -> str:
        path = folder / recorded
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceError(f"har inget inspelat svar ({path.name} saknas i {folder})") from None
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(f"inspelade svaret {path.name} gick inte att läsa ({type(error).__name__})") from None

    return fetch


# --- What a source says about an act -------------------------------------------------------


@dataclass(frozen=True)
class Amendment:
    sfs: str
    scope: str
    in_force: dt.date | None
    title: str = ""


@dataclass(frozen=True)
class Act:
    """What a source said about one act. amendments is None when the source does not list them."""

    sfs: str
    source: str  # "register" or "riksdagen"
    url: str
    amendments: tuple[Amendment, ...] | None
    through: str | None = None  # "ändring införd t.o.m. SFS …"
    repealed_by: str | None = None
    repealed_on: dt.date | None = None


BLOCK_TAGS = re.compile(r"<\s*(?:br|/?div|/?p|/?tr|/?li|/?h\d|/?dd|/?dt|/?table|hr)\b[^>]*>", re.I)


def _text_lines(page: str) -> list[str]:
    """The page's text, one line per block, tags removed and entities decoded."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = BLOCK_TAGS.sub("\n", page)
    page = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return [re.sub(r"\s+", " ", line).strip() for line in page.splitlines() if line.strip()]


def _label(line: str) -> tuple[str, str] | None:
    label, sep, value = line.partition(":")
    return (label.strip(), value.strip()) if sep and len(label) < 40 else None


def _date(text: str) -> dt.date | None:
    match = DATE_RE.search(text or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[0])
    except ValueError:
        return None


def _sfs_in(text: str) -> str | None:
    match = SFS_RE.search(text or "")
    return f"{int(match[1])}:{int(match[2])}" if match else None


def parse_register(sfs: str, page: str) -> Act:
    """The SFS register's page for one act: header fields, then one block per "Ändring, SFS …"."""
    lines = _text_lines(page)
    head = next((i for i, line in enumerate(lines) if line.startswith("SFS-nummer")), None)
    if head is None or _sfs_in(lines[head]) != sfs:
        raise SourceError(f'svarade i ett okänt format (ingen rad "SFS-nummer · {sfs}")')
    header: dict[str, str] = {}
    blocks: list[tuple[str, dict[str, str]]] = []
    for line in lines[head + 1 :]:
        changed = re.match(r"^Ändring,?\s*SFS\s+(\d{4}:\d{1,4})", line)
        if changed:
            blocks.append((changed[1], {}))
        elif (pair := _label(line)) is not None:
            (blocks[-1][1] if blocks else header).setdefault(pair[0], pair[1])
    amendments = tuple(
        Amendment(
            number,
            fields.get("Omfattning", ""),
            _date(fields.get("Ikraft") or fields.get("Ikraftträdande", "")),
            fields.get("Rubrik", ""),
        )
        for number, fields in blocks
    )
    return Act(
        sfs,
        "register",
        REGISTER.format(sfs=sfs),
        amendments,
        through=_sfs_in(header.get("Ändring införd", "")),
        repealed_by=_sfs_in(header.get("Författningen har upphävts genom", "")),
        repealed_on=_date(header.get("Upphävd", "")),
    )


def parse_riksdagen(sfs: str, text: str) -> Act:
    """The Riksdag's dokumentstatus JSON: the act-level "t.o.m." (subtitel) and repeal (upphavd, upphnr)."""
    try:
        status = json.loads(text)["dokumentstatus"]
        document = status["dokument"]
        if _sfs_in(str(document.get("beteckning", ""))) != sfs:
            raise KeyError("beteckning")
        facts = (status.get("dokuppgift") or {}).get("uppgift") or []
        facts = [facts] if isinstance(facts, dict) else facts
        known = {str(f["kod"]): str(f.get("text") or "") for f in facts}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SourceError("svarade i ett okänt format (inte dokumentstatus för lagen)") from None
    year, number = sfs_key(sfs)
    return Act(
        sfs,
        "riksdagen",
        RIKSDAGEN_PAGE.format(year=year, number=number),
        None,
        through=_sfs_in(str(document.get("subtitel") or "")),
        repealed_by=_sfs_in(known.get("upphnr", "")),
        repealed_on=_date(known.get("upphavd", "")),
    )


SOURCES = (
    (
        "register",
        "Regeringskansliets SFS-register",
        lambda s: REGISTER.format(sfs=s),
        lambda s: f"sfsr-{_dashed(s)}.html",
        parse_register,
    ),
    (
        "riksdagen",
        "Riksdagens öppna data",
        lambda s: RIKSDAGEN.format(year=sfs_key(s)[0], number=sfs_key(s)[1]),
        lambda s: f"dokumentstatus-sfs-{_dashed(s)}.json",
        parse_riksdagen,
    ),
)


def ask(sfs: str, fetch: Fetch) -> tuple[Act | None, list[str]]:
    """The act from the first source that answers in a known shape, and a Swedish line per failure."""
    failures: list[str] = []
    for _, name, url, recorded, parse in SOURCES:
        try:
            return parse(sfs, fetch(url(sfs), recorded(sfs))), failures
        except SourceError as error:
            failures.append(f"SFS {sfs}: {name} ({url(sfs)}) {error}.")
    return None, failures


# --- Matching provisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    state: str  # reread, coming, elsewhere, no-baseline
    provision: str
    citation: str
    file: str
    line: int
    act: str
    message: str  # Swedish: what changed
    amendment: str | None = None
    in_force: str | None = None
    url: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


ACTION_WORDS = {REPEALED: "upphäver", NEW: "inför en ny", RENUMBERED: "numrerar om", UNCLEAR: "kan beröra"}


def _hits(provision: Provision, touches: list[Touch]) -> list[Touch] | None:
    """The touches that change the cited section's text; None when the citation names no section."""
    cited = parse_citation(provision.section)
    if cited is None:
        return None
    return [t for t in touches if t.action in SUBSTANTIVE and (t.place is None or t.place.covers(*cited))]


def _describe(amendment: Amendment, hits: list[Touch] | None) -> str:
    if hits is None:
        return (
            f"SFS {amendment.sfs} ändrar lagen ({amendment.scope or 'omfattning saknas'}); lagrummet anger "
            "ingen paragraf, så radarn kan inte avgöra om det berörs"
        )
    if not amendment.scope:
        return f"SFS {amendment.sfs} ändrar lagen, men registret anger inte vilka paragrafer"
    actions = sorted({ACTION_WORDS.get(t.action, "ändrar") for t in hits})
    return f"SFS {amendment.sfs} {' och '.join(actions)} paragrafen ({amendment.scope})"


def _finding(
    provision: Provision,
    act: Act,
    state: str,
    message: str,
    amendment: Amendment | None = None,
    in_force: dt.date | None = None,
) -> Finding:
    place = at(provision, "id")
    return Finding(
        state,
        provision.id,
        provision.label,
        place.file,
        place.line,
        act.sfs,
        message,
        amendment.sfs if amendment else None,
        in_force.isoformat() if in_force else None,
        act.url,
    )


def _when(date: dt.date | None, today: dt.date) -> str:
    if date is None:
        return "datum för ikraftträdande saknas"
    return f"träder i kraft {date.isoformat()}" if date > today else f"i kraft sedan {date.isoformat()}"


def _repeal(provision: Provision, act: Act, today: dt.date) -> list[Finding]:
    """A repeal of the act, unless the provision already says it is repealed."""
    if not act.repealed_by or provision.status == "repealed":
        return []
    coming = act.repealed_on is not None and act.repealed_on > today
    when = f" från {act.repealed_on.isoformat()}" if act.repealed_on else " (datum saknas)"
    return [
        _finding(
            provision,
            act,
            COMING if coming else REREAD,
            f"lagen {'upphävs' if coming else 'är upphävd'} genom SFS {act.repealed_by}{when}",
            Amendment(act.repealed_by, "", None),
            act.repealed_on,
        )
    ]


def _amendment(provision: Provision, act: Act, amendment: Amendment, today: dt.date) -> Finding:
    """One amendment after the baseline: to re-read (or coming) when it touches the cited section."""
    touches = parse_scope(amendment.scope) if amendment.scope else [Touch(UNCLEAR, None, "")]
    hits = _hits(provision, touches)
    when = _when(amendment.in_force, today)
    if hits == [] or (hits is None and not any(t.action in SUBSTANTIVE for t in touches)):
        return _finding(
            provision,
            act,
            ELSEWHERE,
            f"SFS {amendment.sfs} ändrar annat i lagen ({amendment.scope}), {when}",
            amendment,
            amendment.in_force,
        )
    state = COMING if amendment.in_force and amendment.in_force > today else REREAD
    return _finding(provision, act, state, f"{_describe(amendment, hits)}, {when}", amendment, amendment.in_force)


def judge(provision: Provision, act: Act, today: dt.date) -> list[Finding]:
    """What the act's amendments since the provision was read (consolidated_through) mean for it."""
    findings = _repeal(provision, act, today)
    baseline = provision.consolidated_through
    if baseline is None:
        return findings + [
            _finding(
                provision,
                act,
                NO_BASELINE,
                "consolidated_through saknas: radarn vet inte vilken lydelse lagrummet lästes mot",
            )
        ]
    if act.amendments is None:  # the fallback knows only the act-level "t.o.m."
        if act.through and sfs_key(act.through) > sfs_key(baseline):
            findings.append(
                _finding(
                    provision,
                    act,
                    REREAD,
                    f"lagen är ändrad t.o.m. SFS {act.through}, efter "
                    f"SFS {baseline} som lagrummet lästes mot; källan visar inte vilka paragrafer",
                )
            )
        return findings
    if baseline != act.sfs and baseline not in {a.sfs for a in act.amendments}:
        return findings + [
            _finding(
                provision,
                act,
                NO_BASELINE,
                f"consolidated_through {baseline} finns inte bland lagens ändringar i registret: kontrollera numret",
            )
        ]
    return findings + [
        _amendment(provision, act, a, today) for a in act.amendments if sfs_key(a.sfs) > sfs_key(baseline)
    ]


@dataclass
class Report:
    checked_on: str
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    acts: list[dict] = field(default_factory=list)

    def of(self, state: str) -> list[Finding]:
        return [f for f in self.findings if f.state == state]

    @property
    def exit_code(self) -> int:
        if self.problems:
            return EXIT_SOURCE
        return EXIT_REREAD if self.of(REREAD) else EXIT_CLEAR

    def as_data(self) -> dict:
        return {
            "checked_on": self.checked_on,
            "acts": self.acts,
            "findings": [asdict(f) for f in self.findings],
            "problems": self.problems,
            "counts": {state: len(self.of(state)) for state in (REREAD, COMING, ELSEWHERE, NO_BASELINE)},
        }


def cited_acts(handbook: Handbook) -> dict[str, list[Provision]]:
    """Every SFS act legal.yaml cites, with its provisions, in SFS order."""
    acts: dict[str, list[Provision]] = {}
    for provision in handbook.provisions:
        if provision.sfs:
            acts.setdefault(provision.sfs, []).append(provision)
    return dict(sorted(acts.items(), key=lambda item: sfs_key(item[0])))


def radar(handbook: Handbook, fetch: Fetch, today: dt.date) -> Report:
    report = Report(today.isoformat())
    for sfs, provisions in cited_acts(handbook).items():
        act, failures = ask(sfs, fetch)
        report.problems.extend(failures if act is None or act.source != "register" else [])
        if act is None:
            report.problems.append(
                f"SFS {sfs}: ingen källa svarade; {len(provisions)} lagrum kontrollerades inte "
                f"({', '.join(p.id for p in provisions)})."
            )
            continue
        report.acts.append(
            {
                "sfs": sfs,
                "source": act.source,
                "url": act.url,
                "through": act.through,
                "amendments": None if act.amendments is None else len(act.amendments),
            }
        )
        for provision in provisions:
            report.findings.extend(judge(provision, act, today))
    report.findings.sort(key=lambda f: (f.file, f.line, sfs_key(f.amendment) if f.amendment else (0, 0)))
    return report


# --- Output ---------------------------------------------------------------------------------


def _line(f: Finding) -> str:
    return f"{f.where}: {f.citation} ({f.provision}): {f.message}. {f.url}"


def elsewhere_only(report: Report) -> list[Finding]:
    """One finding per amendment that touches no cited provision (the same amendment is listed once)."""
    alarmed = {(f.act, f.amendment) for f in report.findings if f.state in (REREAD, COMING)}
    seen: dict[tuple[str, str | None], Finding] = {}
    for f in report.of(ELSEWHERE):
        if (f.act, f.amendment) not in alarmed:
            seen.setdefault((f.act, f.amendment), f)
    return list(seen.values())


def format_text(report: Report) -> str:
    parts = []
    for state, title in (
        (REREAD, "Läs om"),
        (COMING, "Kommande ändringar"),
        (NO_BASELINE, "Lagrum som radarn inte kan jämföra (consolidated_through saknas eller är fel)"),
    ):
        found = report.of(state)
        if found:
            parts.append(f"{title}:\n" + "".join(f"  {_line(f)}\n" for f in found))
    if other := elsewhere_only(report):
        parts.append(
            "Ändringar på andra ställen i de citerade lagarna (inget att läsa om):\n"
            + "".join(f"  SFS {f.act}: {f.message}. {f.url}\n" for f in other)
        )
    if report.problems:
        parts.append(
            "Källproblem (radarn vet inte om lagen har ändrats):\n" + "".join(f"  {p}\n" for p in report.problems)
        )
    if not parts:
        parts.append("Inga lagändringar efter det som lagrummen lästes mot.\n")
    return "\n".join(parts)


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(report: Report) -> str:
    levels = {REREAD: "warning", COMING: "notice"}
    lines = [
        f"::{levels[f.state]} file={f.file},line={f.line}::{_escape_github(_line(f))}"
        for f in report.findings
        if f.state in levels
    ]
    lines += [f"::error::{_escape_github(p)}" for p in report.problems]
    return "".join(line + "\n" for line in lines)


def format_json(report: Report) -> str:
    return json.dumps(report.as_data(), indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}


def summary(report: Report) -> str:
    counts = report.as_data()["counts"]
    return (
        f"{counts[REREAD]} lagrum att läsa om, {counts[COMING]} kommande ändringar, "
        f"{counts[NO_BASELINE]} lagrum som radarn inte kan jämföra, {len(report.problems)} källproblem."
    )
