"""The loader: a handbook root's content files -> YAML nodes -> typed model, with every problem kept.

It never writes to content files and never raises for bad content: a file that cannot be read
becomes a problem with its place. Every file is read through load.files, so a file or folder that
is a symbolic link out of the root is never read, and its content can never be shown.

A root may name a base root in handbook.yml (load.layers): the base's files are then read too,
and every problem in them is placed with the base file's path relative to the local root.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.core.dom import STATIC_SUFFIXES, VENDORED, svg_problem
from handbook.core.kinds import ITEM, ITEM_KINDS, ItemKind
from handbook.core.model import ContactsFile, Handbook, Pos, Ref, Routine
from handbook.core.problems import Problem, problem
from handbook.core.published import LINKS_FILE
from handbook.load.convert import Converter
from handbook.load.files import (
    CONFIG_FILE,
    DOCS_DIR,
    GIT_DIR,
    LAYERS_FILE,
    LOCAL_STEPS_DIR,
    RADAR_FILE,
    ROUTINES_DIR,
    YAML_SUFFIXES,
    Files,
    inside,
    repository,
)
from handbook.load.layers import (
    Layer,
    guard_replaced_numbers,
    insert_steps,
    merge_by_id,
    read_local_steps,
    read_settings,
    unknown_routine,
)
from handbook.load.settings import SettingRefs, extra_settings
from handbook.load.yamlnodes import decode, read_nodes

# Routine ids the site needs for pages of its own: the page of the routine "index" lists every routine.
RESERVED_ROUTINE_IDS = ("index",)
# With a base, these one-file kinds come from the base only; the others are merged by id (local wins).
BASE_ONLY = ("provision", "term")


@dataclass
class Skipped:
    """What load could not build, so that check does not report references to it a second time."""

    # Item kind ("routine", "provision", "contact", "term", "role") -> ids of records that failed to load.
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Item kinds whose whole file could not be read: none of their ids are known.
    unreadable: set[str] = field(default_factory=set)
    # Routine id -> ids of its steps that failed to load.
    steps: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Files (as problems name them) that gave no record at all -> their item kind: check says once, at
    # the file, which rules it skipped because of them.
    files: dict[str, str] = field(default_factory=dict)
    # (item kind, reference) inside records that could not be built: check still judges them.
    refs: list[tuple[str, Ref]] = field(default_factory=list)
    # (record's place, field name): a value was written but rejected (and reported), so it is not "missing".
    values: set[tuple[Pos, str]] = field(default_factory=set)

    def covers(self, kind: str, item_id: str) -> bool:
        """Whether a reference to item_id of this kind may point at something that failed to load."""
        return kind in self.unreadable or item_id in self.ids.get(kind, ())

    def rejected(self, record, name: str) -> bool:
        """Whether the record's field was written with a value load rejected (a problem already says so)."""
        return (record.pos, name) in self.values

    def any(self, kind: str) -> bool:
        """Whether anything of this kind failed to load (so "unused" or "gap" cannot be judged)."""
        return kind in self.unreadable or bool(self.ids.get(kind))


@dataclass(frozen=True)
class Loaded:
    handbook: Handbook
    problems: list[Problem]
    skipped: Skipped = field(default_factory=Skipped)
    # Hand-written docs pages (docs path -> text), so their internal links are checked too.
    pages: dict[str, str] = field(default_factory=dict)
    # published-links.txt, when the root has one.
    published: str | None = None
    # The base's published-links.txt: (its path relative to the root, its text), when there is one.
    base_published: tuple[str, str] | None = None
    # Docs pages that come from the base: docs path -> the file's path relative to the root.
    page_files: dict[str, str] = field(default_factory=dict)
    # The roots content was read from, the base first; empty when nothing was loaded.
    layers: tuple[Layer, ...] = ()
    # The law-change radar's last data file (lawradar.json, written by its scheduled job), parsed; None without one.
    law_radar: dict | None = None
    # The ids mkdocs.yml's engine settings name (extra.search_boost, extra.missing_number …), for the check.
    setting_refs: SettingRefs = field(default_factory=list)


def _routine_files(files: Files, skipped: set[str], required: bool = True) -> list[str]:
    """The routine files to read; folders, misnamed files and duplicates are reported instead."""
    if not _routine_folder(files, required):
        return []
    read: list[str] = []
    first: dict[str, str] = {}
    for rel in files.walk(ROUTINES_DIR):
        stem = _routine_file(files, rel, first, skipped)
        if stem is not None:
            first[stem] = rel
            read.append(rel)
    return read


def _routine_folder(files: Files, required: bool) -> bool:
    """Whether routines/ is a folder that can be read; a problem when not (or when it holds a folder named
    like a routine file)."""
    kind = files.kind(ROUTINES_DIR)
    folder = files.at(ROUTINES_DIR)
    if kind is None and required:
        files.report("file-missing", ROUTINES_DIR, f"Mappen {folder}/ saknas.")
    elif kind in ("file", "other"):
        files.report("file-missing", ROUTINES_DIR, f"{folder} är en fil, men ska vara en mapp med en fil per rutin.")
    if kind != "dir":
        return False
    try:
        entries = sorted(os.scandir(files.root / ROUTINES_DIR), key=lambda e: e.name)
    except OSError:
        files.report("file-missing", ROUTINES_DIR, f"Mappen {folder}/ kan inte läsas. Kontrollera att den får läsas.")
        return False
    for entry in entries:
        if entry.name.lower().endswith(YAML_SUFFIXES) and not entry.is_symlink() and entry.is_dir():
            rel = f"{ROUTINES_DIR}/{entry.name}"
            files.report("file-name", rel, f"{files.at(rel)} är en mapp, men en rutin ska vara en fil.")
    return True


def _routine_file(files: Files, rel: str, first: dict[str, str], skipped: set[str]) -> str | None:
    """The routine id of a file below routines/ to read, or None: not YAML, misplaced, misnamed, reserved or
    a second file with the same id (each reported, but the first)."""
    parts = rel.split("/")
    name = parts[-1]
    stem, dot, suffix = name.rpartition(".")
    suffix = dot + suffix
    if suffix.lower() not in YAML_SUFFIXES:
        return None  # a README or an editor's backup is not a routine
    if len(parts) > 2:
        files.report(
            "file-name",
            rel,
            f"{files.at(rel)} ligger i en undermapp till routines/ och läses inte. "
            f"Rutiner ligger direkt i routines/: flytta filen till {files.at(ROUTINES_DIR)}/{name}.",
        )
        return None
    if suffix not in YAML_SUFFIXES:
        files.report(
            "file-name",
            rel,
            f'Filändelsen "{suffix}" läses inte. Byt namn på filen till {stem}{suffix.lower()} (med små bokstäver).',
        )
        skipped.add(stem)
        return None
    if stem in RESERVED_ROUTINE_IDS:
        files.report(
            "file-name",
            rel,
            f'En rutin kan inte heta "{stem}": /{ITEM["routine"].page_of(stem)} är sidan som listar '
            "alla rutiner. Byt namn på filen och rutinens id.",
        )
        skipped.add(stem)
        return None
    if stem in first:
        files.report(
            "id-duplicate",
            rel,
            f'Rutinen "{stem}" finns redan i {files.at(first[stem])}. Två filer kan '
            "inte ha samma id: ta bort en av dem.",
        )
        return None
    return stem


def load_handbook(root: Path) -> Loaded:
    """Read every content file under root into one Handbook plus the problems found."""
    # Loading creates many small objects and no cycles worth collecting: pausing the cyclic
    # garbage collector meanwhile makes a large handbook load about 40 % faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(root)
    finally:
        if paused:
            gc.enable()


def _nodes(files: Files, rel: str):
    data = files.read(rel)
    if data is None:
        return None
    node, found = read_nodes(files.at(rel), data)
    files.problems.extend(found)
    return node


def _base(local: Files) -> tuple[Files | None, bool]:
    """The base named in handbook.yml and whether the setting is broken (reported; nothing of the base
    can be read, so references into it are not judged)."""
    if not local.present(LAYERS_FILE):
        return None, False
    node = _nodes(local, LAYERS_FILE)
    settings, found = read_settings(node, local.at(LAYERS_FILE))
    local.problems.extend(found)
    if settings is None:
        return None, True
    pos = settings.where.get("base", settings.pos)
    label = settings.base
    folder = local.root / label

    def broken(code: str, message: str) -> tuple[None, bool]:
        local.problems.append(problem(code, pos, message))
        return None, True

    try:
        real = folder.resolve()
        exists, is_dir = folder.exists(), folder.is_dir()
        entries = os.listdir(folder) if is_dir else []
    except (OSError, RuntimeError):
        return broken("file-missing", f"Grundhandboken i {label} kan inte läsas. Kontrollera att mappen får läsas.")
    if not exists:
        return broken(
            "file-missing",
            f"Grundhandboken saknas: mappen {label} finns inte. Kontrollera base i "
            f"{LAYERS_FILE}, och hämta grunden (till exempel med git submodule update --init).",
        )
    if not is_dir:
        return broken("file-missing", f"{label} är en fil, men base ska vara mappen med grundhandboken.")
    if GIT_DIR in real.parts or not inside(real, repository(local.real_root)):
        in_git = f" eller i en {GIT_DIR}-mapp" if GIT_DIR in real.parts else ""
        return broken(
            "value-invalid",
            f"base pekar på {label}, som ligger utanför förrådet (repository) som "
            f"handboken ligger i{in_git}. Lägg grunden i förrådet, till exempel som git-submodul i "
            "vendor/bas, och skriv den mappen.",
        )
    if real == local.real_root:
        return broken(
            "value-invalid",
            "base pekar på handbokens egen mapp. Skriv mappen där grundhandboken ligger, till exempel vendor/bas.",
        )
    if LAYERS_FILE in entries:
        return broken(
            "value-invalid",
            f"Grundhandboken i {label} har en egen {LAYERS_FILE}. En grund kan inte ha en "
            "egen grund: låt base peka på den handbok som har allt innehåll.",
        )
    base = Files(folder, local.problems, prefix=label + "/", trusted=(local.real_root,))
    local.trusted = (*local.trusted, base.real_root)  # the local config trusts the base it names
    return base, False


def _record(files: Files, kind: ItemKind, skipped: Skipped, required: bool = True):
    """The record of a one-file kind (legal.yaml …), or None (and the kind marked unreadable)."""
    if not required and not files.present(kind.file):
        return None
    node = _nodes(files, kind.file)
    conv = Converter(files.at(kind.file))
    made = None if node is None else conv.record(kind.file_record, node, files.at(kind.file))
    files.problems.extend(conv.problems)
    skipped.ids[kind.name] |= conv.skipped_ids
    skipped.refs += conv.orphan_refs
    skipped.values |= conv.rejected
    if made is None:
        skipped.unreadable.add(kind.name)
        skipped.files[files.at(kind.file)] = kind.name
    return made


def _routines(
    files: Files, skipped: Skipped, required: bool = True, taken: set[str] = frozenset(), base: str = ""
) -> list[Routine]:
    """The routines of one root. A stem in taken (a base routine) is reported as a duplicate."""
    routines: list[Routine] = []
    for rel in _routine_files(files, skipped.ids["routine"], required):
        node = _nodes(files, rel)
        stem = Path(rel).stem
        if stem in taken:
            pos = Pos(files.at(rel))
            if isinstance(node, yaml.MappingNode):
                pos = next(
                    (
                        Pos(pos.file, v.start_mark.line + 1, v.start_mark.column + 1)
                        for k, v in node.value
                        if isinstance(k, yaml.ScalarNode) and k.value == "id"
                    ),
                    pos,
                )
            files.problems.append(
                problem(
                    "id-duplicate",
                    pos,
                    f'Rutinen "{stem}" finns redan i grundhandboken '
                    f"({base}{ROUTINES_DIR}/{stem}.yaml). Ge den lokala rutinen ett eget id, "
                    f"eller lägg till lokala steg i {LOCAL_STEPS_DIR}/{stem}.yaml.",
                )
            )
            continue
        if node is None:
            skipped.ids["routine"].add(stem)
            skipped.files[files.at(rel)] = "routine"
            continue
        conv = Converter(files.at(rel))
        made = conv.record(Routine, node, "Rutinen")
        files.problems.extend(conv.problems)
        skipped.steps[stem] |= conv.skipped_ids
        skipped.refs += conv.orphan_refs
        skipped.values |= conv.rejected
        if made is None:
            skipped.ids["routine"].add(stem)
            skipped.files[files.at(rel)] = "routine"
            continue
        for alias in made.aliases:
            if alias in RESERVED_ROUTINE_IDS:
                files.problems.append(
                    problem(
                        "alias-collision",
                        made.where.get("aliases", made.pos),
                        f'Det tidigare id:t "{alias}" krockar med sidan som listar alla '
                        f"rutiner (/{ITEM['routine'].page_of(alias)}). Ta bort det från "
                        "aliases.",
                    )
                )
        routines.append(made)
    return routines


def _local_steps(local: Files, routines: list[Routine], skipped: Skipped) -> list[Routine]:
    """The routines with the steps of local-steps/<routine-id>.yaml inserted."""
    kind = local.kind(LOCAL_STEPS_DIR)
    if kind in ("file", "other"):
        local.report(
            "file-missing", LOCAL_STEPS_DIR, f"{LOCAL_STEPS_DIR} är en fil, men ska vara en mapp med en fil per rutin."
        )
    if kind != "dir":
        return routines
    index = {r.id: i for i, r in enumerate(routines)}
    for rel in local.walk(LOCAL_STEPS_DIR):
        parts = rel.split("/")
        stem, dot, suffix = parts[-1].rpartition(".")
        if (dot + suffix).lower() not in YAML_SUFFIXES:
            continue
        if len(parts) > 2 or dot + suffix not in YAML_SUFFIXES:
            local.report(
                "file-name",
                rel,
                f"{rel} läses inte. Lokala steg ligger direkt i {LOCAL_STEPS_DIR}/, i en "
                f"fil som heter som rutinens id: {LOCAL_STEPS_DIR}/{stem}.yaml.",
            )
            continue
        found = read_local_steps(_nodes(local, rel), local.at(rel))
        local.problems.extend(found.problems)
        if stem not in index:
            if not skipped.covers("routine", stem):
                local.problems.append(unknown_routine(stem, sorted(index), local.at(rel)))
            continue
        skipped.steps[stem] |= found.skipped
        routine, placed = insert_steps(routines[index[stem]], found, skipped.steps[stem])
        local.problems.extend(placed)
        routines[index[stem]] = routine
    return routines


def _judge_static(files: Files, rel: str) -> None:
    """A file in docs/ that is not a page is served as it is: only kinds that cannot run script
    (core/dom.py), an SVG only as a plain drawing, and the engine's vendored files unchanged."""
    docs_rel = rel.removeprefix(DOCS_DIR + "/")
    suffix = Path(rel).suffix.lower()
    if docs_rel in VENDORED:
        data = files.read(rel, required=False)
        if data is not None and hashlib.sha256(data).hexdigest() != VENDORED[docs_rel]:
            files.report(
                "docs-file-not-allowed",
                rel,
                f"{files.at(rel)} är en av handbokens egna filer och får inte ändras. Hämta den från huvudgrenen igen.",
            )
        return
    if suffix not in STATIC_SUFFIXES:
        files.report(
            "docs-file-not-allowed",
            rel,
            f"{files.at(rel)} kan inte publiceras: filer av typen "
            f"{suffix or 'utan filändelse'} kan köra skript eller är okända. Skriv innehållet som en sida "
            "(.md), eller använd en bild (.png, .jpg), .pdf, .txt eller .csv.",
        )
    elif (
        suffix == ".svg"
        and (data := files.read(rel, required=False)) is not None
        and (why := svg_problem(data)) is not None
    ):
        files.report(
            "docs-file-not-allowed",
            rel,
            f"{files.at(rel)} {why}. En SVG-fil i docs/ får bara vara en "
            "enkel bild, utan skript, länkar eller stilar. Spara bilden som .png i stället.",
        )


def _load(root: Path) -> Loaded:
    problems: list[Problem] = []
    local = Files(root, problems)
    skipped = Skipped()
    base, broken = _base(local)
    lists = _one_file_kinds(local, base, broken, skipped)
    routines = _all_routines(local, base, broken, skipped)
    handbook = Handbook(routines=routines, call_now=lists.pop("call_now", []), **lists)
    layers = [local] if base is None else [base, local]
    pages, page_files = _docs(layers)
    published = local.text(LINKS_FILE)
    base_published = None
    if base is not None and (text := base.text(LINKS_FILE)) is not None:
        base_published = (base.at(LINKS_FILE), text)
    setting_refs: SettingRefs = []
    if (root / CONFIG_FILE).exists():
        found, setting_refs = _config(local)
        problems.extend(found)
    return Loaded(
        handbook,
        problems,
        skipped,
        pages,
        published,
        base_published,
        page_files,
        tuple(Layer(files.root, files.prefix) for files in layers),
        _law_radar(local),
        setting_refs,
    )


def _one_file_kinds(local: Files, base: Files | None, broken: bool, skipped: Skipped) -> dict[str, list]:
    """The lists of the one-file kinds (legal.yaml, contacts.yaml …) and call_now. Without a base the root is
    read as it always was; with one, the base gives them, and a local file adds to the merged kinds."""
    lists: dict[str, list] = {}
    for kind in ITEM_KINDS:
        if kind.file_record is None:
            continue  # routines: a file per item, read by _all_routines
        attr = kind.list_key
        lists[attr] = []
        made = None
        if broken:
            skipped.unreadable.add(kind.name)
        else:
            made = _record(base or local, kind, skipped, required=not kind.optional)
        if made is not None:
            lists[attr] = getattr(made, attr)
            if isinstance(made, ContactsFile):
                lists["call_now"] = made.call_now
        if (base is not None or broken) and local.present(kind.file):
            _merge_local(local, base, kind, skipped, lists)
    return lists


def _merge_local(local: Files, base: Files | None, kind: ItemKind, skipped: Skipped, lists: dict[str, list]) -> None:
    """A local file of a one-file kind beside a base (named, or broken): refused for the kinds that come from the
    base only; for the merged kinds (contacts …) it adds records and replaces the base's with the same id."""
    if kind.name in BASE_ONLY:
        if base is not None:
            local.report(
                "file-name",
                kind.file,
                f"{kind.file} läses inte här, eftersom den kommer från "
                f"grundhandboken. Ändra i grundens {kind.file}, eller ta bort filen här.",
            )
        return
    own = _record(local, kind, skipped)
    if own is None:
        return
    attr = kind.list_key
    records = getattr(own, attr)
    if base is not None:
        records, found = guard_replaced_numbers(lists[attr], records, base.at(kind.file), kind.file)
        local.problems.extend(found)
    lists[attr] = merge_by_id(lists[attr], records)
    if isinstance(own, ContactsFile) and "call_now" in own.where:
        lists["call_now"] = own.call_now


def _all_routines(local: Files, base: Files | None, broken: bool, skipped: Skipped) -> list[Routine]:
    """The routines of the root; with a base, the base's, then the local root's, then the local steps."""
    if broken:
        skipped.unreadable.add("routine")
    source = base or local
    routines: list[Routine] = [] if broken else _routines(source, skipped)
    if base is not None or broken:
        taken = {Path(r.pos.file).stem for r in routines} | set(skipped.ids["routine"])
        routines += _routines(local, skipped, required=False, taken=taken, base=source.prefix if base else "")
        return _local_steps(local, routines, skipped)
    if local.present(LOCAL_STEPS_DIR):
        # A handbook without a base owns its routines: steps go into the routine file, never silently beside it.
        local.report(
            "file-name",
            LOCAL_STEPS_DIR,
            f"{LOCAL_STEPS_DIR}/ läses bara i en lokal handbok som bygger på "
            f"en grund (base: i {LAYERS_FILE}). Här finns ingen grund: skriv stegen i rutinens egen fil i "
            f"{ROUTINES_DIR}/ och ta bort {LOCAL_STEPS_DIR}/.",
        )
    return routines


def _docs(layers: list[Files]) -> tuple[dict[str, str], dict[str, str]]:
    """The hand-written pages of every layer (docs path -> text; a local page replaces the base's at the same
    path) and the files of those that come from the base. Files that are not pages are judged on the way."""
    pages: dict[str, str] = {}
    page_files: dict[str, str] = {}
    for files in layers:
        docs = files.kind(DOCS_DIR)
        if docs in ("file", "other"):
            files.report(
                "file-missing",
                DOCS_DIR,
                f"{files.at(DOCS_DIR)} är en fil, men ska vara en mapp med handbokens egna sidor.",
            )
        if docs != "dir":
            continue
        for rel in files.walk(DOCS_DIR):
            if not rel.endswith(".md"):
                _judge_static(files, rel)
            elif (text := files.text(rel)) is not None:
                pages[rel] = text
                if files.prefix:
                    page_files[rel] = files.at(rel)
                else:
                    page_files.pop(rel, None)
    return pages, page_files


def _config(local: Files) -> tuple[list[Problem], SettingRefs]:
    """mkdocs.yml's problems as the loader sees them (its encoding, the texts the theme prints raw, the engine's
    settings in extra:), and the ids those settings name."""
    data = local.read(CONFIG_FILE, required=False)
    text, found = decode(CONFIG_FILE, data) if data is not None else (None, [])
    if text is None:
        return found, []
    wrong, refs = extra_settings(CONFIG_FILE, text)
    return found + _config_texts(text) + wrong, refs


# Settings in mkdocs.yml that the theme prints into every page's HTML as they are (Material's templates do not
# escape them), in <title>, <meta> attributes and the footer.
RAW_CONFIG_TEXTS = ("site_name", "site_description", "site_author", "copyright")
HTML_SPECIAL = set("<>\"&'`")


def _config_texts(text: str) -> list[Problem]:
    """A placed problem for each raw-printed setting that holds a character HTML gives a meaning to."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: MkDocs' own tags need no support
    except yaml.YAMLError:
        return []  # MkDocs reports its own config's syntax
    found = []
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value in RAW_CONFIG_TEXTS and isinstance(value, yaml.ScalarNode) and HTML_SPECIAL & set(value.value):
            chars = " ".join(sorted(HTML_SPECIAL & set(value.value)))
            found.append(
                problem(
                    "config-text-unsafe",
                    Pos(CONFIG_FILE, value.start_mark.line + 1, value.start_mark.column + 1),
                    f"{key.value} i {CONFIG_FILE} innehåller tecken som betyder något i HTML ({chars}). "
                    "Temat skriver texten rakt in i varje sidas HTML. Skriv texten utan dem, till "
                    'exempel "och" i stället för &.',
                )
            )
    return found


def _law_radar(local: Files) -> dict | None:
    """lawradar.json as data, or None (and a placed problem when it is there but no JSON object)."""
    text = local.text(RADAR_FILE)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        local.report(
            "value-invalid",
            RADAR_FILE,
            f"{RADAR_FILE} är inte radarns datafil. Skriv den inte för hand: "
            f"kör handbook law-radar --data-out {RADAR_FILE}, eller ta bort filen.",
        )
        return None
    return data
