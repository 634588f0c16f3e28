"""Problems and the one catalogue of rule codes.

A problem is a place, a severity, a rule code and a Swedish message for the maintainer.
The catalogue gives every code its default severity and an explanation; the editing guide
renders it as a page with one anchor per code. Knows nothing about YAML, files or MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handbook.core.kinds import ITEM_KINDS
from handbook.core.model import Pos
from handbook.core.paths import PAGE

Severity = Literal["error", "warning"]


def _link_forms() -> str:
    """How an internal link is written, for every kind in the registry: `[text](rutin:id)`, `[text](rutin:id#steg)` …"""
    forms = [
        f"`[text]({k.prefix}:id)`" + (f", `[text]({k.prefix}:id#steg)`" if k.name == "routine" else "")
        for k in ITEM_KINDS
    ]
    return ", ".join(forms[:-1]) + " eller " + forms[-1]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    title: str
    explanation: str


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    @property
    def pos(self) -> Pos:
        return Pos(self.file, self.line, self.column)


def problem(code: str, pos: Pos, message: str, severity: Severity | None = None) -> Problem:
    """A problem of a catalogued rule at a place; the severity defaults to the rule's."""
    rule = RULES[code]  # KeyError here is a programming error: every code must be catalogued
    return Problem(pos.file, pos.line, pos.column, severity or rule.severity, code, message)


def quoted(text: str, limit: int = 80) -> str:
    """A value as a message quotes it: on one line and cut short, so that a message never echoes a whole
    file (or a line that is no value at all) into a CI log."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.code: r for r in rules}


E, W = "error", "warning"

RULES: dict[str, Rule] = _rules(
    # Reading the files
    Rule(
        "file-missing",
        E,
        "En fil saknas",
        "Handboken behöver contacts.yaml, legal.yaml, glossary.yaml och mappen routines/. "
        "Återskapa filen från huvudgrenen om du har tagit bort den av misstag.",
    ),
    Rule(
        "file-encoding",
        E,
        "Filen är inte UTF-8",
        "Spara filen som UTF-8. De flesta redigerare har det valet under Spara som.",
    ),
    Rule(
        "checks-skipped",
        W,
        "Kontroller hoppades över",
        "En fil kunde inte läsas, så de kontroller som behöver den gjordes inte: annars skulle ett enda fel ge "
        "många följdfel. Rätta felet i filen och kör kontrollen igen, så görs alla kontroller.",
    ),
    Rule(
        "yaml-syntax",
        E,
        "YAML-filen kan inte läsas",
        "Filen följer inte YAML:s regler på den raden. Vanliga orsaker: en text med kolon "
        "som inte står inom citattecken, fel indrag, eller ett citattecken som inte stängs.",
    ),
    Rule("yaml-tab", E, "Tabb i indrag", "YAML tillåter bara mellanslag för indrag. Byt tabben mot två mellanslag."),
    Rule(
        "yaml-duplicate-key",
        E,
        "Samma nyckel två gånger",
        "Samma fältnamn står två gånger i samma block. YAML skulle tyst behålla det sista värdet "
        "och tappa det första. Ta bort eller slå ihop dem.",
    ),
    Rule(
        "yaml-tag",
        E,
        "Otillåten YAML-tagg",
        "Taggar som !!python/… eller !egen kan köra kod eller ge oväntade värden. "
        "Handboken använder bara vanlig text, listor och block.",
    ),
    Rule(
        "yaml-alias",
        E,
        "Ankare och alias används inte",
        "Ankare (&namn) och alias (*namn) gör filen svår att läsa och kan användas för att "
        "blåsa upp den. Skriv ut värdet där det behövs.",
    ),
    Rule("file-empty", E, "Filen är tom", "Filen innehåller inget. Fyll i fälten enligt redigeringsguiden."),
    Rule(
        "file-outside-root",
        E,
        "Filen är en länk ut ur handboken",
        "Filen eller mappen är en symbolisk länk till en plats utanför handbokens mapp. Handboken läser "
        "den inte, så att en ändring aldrig kan visa innehåll från andra filer på datorn. Lägg själva "
        "filen i handbokens mapp i stället för länken.",
    ),
    Rule(
        "file-name",
        E,
        "Filen har fel namn eller ligger på fel ställe",
        "En rutin är en fil direkt i routines/ som heter som rutinens id, med filändelsen .yaml i små "
        "bokstäver. Filer i undermappar eller med en annan filändelse (.YAML, .Yml) läses inte, och "
        "namnet index är upptaget av sidan som listar alla rutiner.",
    ),
    Rule(
        "control-character",
        E,
        "Styrtecken i filen",
        "Filen innehåller ett styrtecken, till exempel ett nolltecken (U+0000), Words radbrytning "
        "(U+000B) eller ett tecken från fel teckenkodning (U+0080–U+009F). Det syns inte i redigeraren "
        "men förstör texten. Ta bort tecknet, eller skriv om texten för hand om den är kopierad.",
    ),
    Rule(
        "invisible-character",
        E,
        "Osynligt tecken",
        "Texten innehåller ett tecken som inte syns, till exempel ett som vänder textens riktning "
        "(U+202E), ett mellanrum utan bredd (U+200B) eller ett mjukt bindestreck (U+00AD). Den som "
        "granskar en ändring kan inte se det, och det kan få texten att visas på ett annat sätt än den "
        "står i filen. Ta bort det. Hårt mellanslag (U+00A0), som i ett telefonnummer, är tillåtet.",
    ),
    # Fields and values
    Rule(
        "field-unknown",
        E,
        "Okänt fält",
        "Fältet finns inte i datamodellen. Det är ofta ett stavfel; meddelandet föreslår det närmaste fältnamnet.",
    ),
    Rule(
        "field-missing",
        E,
        "Obligatoriskt fält saknas",
        "Fältet måste finnas. Redigeringsguiden visar vad det ska innehålla.",
    ),
    Rule(
        "field-type",
        E,
        "Fel sorts värde",
        "Fältet ska vara en text, en lista eller ett block med egna fält, men något annat står där.",
    ),
    Rule(
        "id-format",
        E,
        "Ogiltigt id",
        "Id får bara innehålla små bokstäver a–z, siffror och bindestreck, utan å, ä, ö och mellanslag "
        "(till exempel ring-polisen). Id blir en del av webbadressen och ska aldrig ändras.",
    ),
    Rule(
        "date-format",
        E,
        "Ogiltigt datum",
        "Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2026-11-27, och måste finnas i kalendern.",
    ),
    Rule(
        "value-invalid",
        E,
        "Ogiltigt värde",
        "Värdet har inte den form fältet kräver. Meddelandet säger vilken form som gäller.",
    ),
    # Ids and references
    Rule(
        "id-duplicate",
        E,
        "Samma id två gånger",
        "Två saker av samma slag har samma id. Varje id måste vara unikt, eftersom det blir en webbadress.",
    ),
    Rule(
        "routine-id-filename",
        E,
        "Id stämmer inte med filnamnet",
        "En rutins id måste vara samma som filnamnet utan .yaml.",
    ),
    Rule("ref-unknown-provision", E, "Okänt lagrum", "Hänvisningen går till ett id som inte finns i legal.yaml."),
    Rule("ref-unknown-contact", E, "Okänd kontakt", "Hänvisningen går till ett id som inte finns i contacts.yaml."),
    Rule(
        "ref-unknown-step",
        E,
        "Okänt steg",
        "Nästa steg pekar på ett steg som inte finns i rutinen. Skriv to: end om rutinen slutar här.",
    ),
    Rule("ref-unknown-routine", E, "Okänd rutin", "Hänvisningen går till en rutin som inte finns i routines/."),
    Rule("ref-unknown-term", E, "Okänd term", "Hänvisningen går till en term som inte finns i glossary.yaml."),
    Rule("ref-unknown-role", E, "Okänd roll", "Hänvisningen går till en roll som inte finns i roles.yaml."),
    Rule(
        "link-syntax",
        E,
        "Felaktig intern länk",
        f"Interna länkar skrivs {_link_forms()}. Lämnar du texten tom, `[](lagrum:lvu-6)`, skrivs "
        "namnet ut automatiskt.",
    ),
    Rule(
        "alias-collision",
        E,
        "Tidigare id krockar",
        "Ett tidigare id (alias) får inte vara samma som ett id som används nu, eller som ett annat alias.",
    ),
    # Routines and steps
    Rule(
        "step-anchor-collision",
        E,
        "Stegets id krockar med en rubrik",
        "Stegets id blir ett ankare på sidan och får inte vara samma som ankaret för en rubrik "
        "som sidan skapar själv (till exempel sammanfattning eller andringar).",
    ),
    Rule(
        "step-no-next",
        E,
        "Steget saknar nästa steg",
        "Varje steg måste säga vad som händer sedan. Skriv next: med to: <steg-id>, eller to: end om "
        "rutinen slutar med det här steget.",
    ),
    Rule(
        "step-unreachable",
        E,
        "Steget går inte att nå",
        "Inget steg leder hit från rutinens första steg. Lägg till steget som nästa steg någonstans, "
        "eller ta bort det.",
    ),
    Rule(
        "step-cycle",
        E,
        "Stegen går i cirkel",
        "Stegen leder tillbaka till ett tidigare steg. Om det är meningen (till exempel ny bedömning), "
        "skriv repeat: true på steget som leder tillbaka.",
    ),
    Rule(
        "deadline-event-unknown",
        E,
        "Okänd händelse för tidsgräns",
        "Tidsgränsen räknas från en händelse i en fast lista. Välj en av dem som meddelandet räknar upp.",
    ),
    Rule("routine-empty", E, "Rutinen saknar steg", "En rutin måste ha minst ett steg."),
    # Contacts
    Rule(
        "contact-phone-invalid",
        E,
        "Ogiltigt telefonnummer",
        "Numret går inte att tolka som ett svenskt eller internationellt nummer. Skriv det som på "
        "myndighetens webbplats, till exempel 010-123 45 67, 116 111 eller +46 10 …",
    ),
    Rule("contact-email-invalid", E, "Ogiltig e-postadress", "E-postadressen har inte formen namn@domän.se."),
    Rule(
        "contact-hours-invalid",
        E,
        "Ogiltiga öppettider",
        "Öppettider skrivs med days, opens och closes (TT:MM). Stängningstiden måste vara efter öppningstiden.",
    ),
    Rule(
        "contact-no-fallback",
        E,
        "Ingen reserv utanför öppettid",
        "Kontakten har begränsade öppettider och används i ett brådskande steg. Ange outside_hours: "
        "vem man vänder sig till när den är stängd.",
    ),
    Rule(
        "contact-stale",
        W,
        "Kontaktuppgifterna är gamla",
        "Uppgifterna kontrollerades för längre sedan än granskningsintervallet (12 månader). "
        "Kontrollera dem mot källan och uppdatera datumet. Med --strict är det ett fel.",
    ),
    Rule(
        "contact-unverified",
        W,
        "Kontaktuppgifterna är inte kontrollerade",
        "Uppgifterna är inte kontrollerade mot en källa. Läsaren ser en varning på kontaktsidan.",
    ),
    Rule(
        "contact-unused",
        W,
        "Kontakten används inte",
        "Ingen rutin hänvisar till kontakten. Ta bort den eller hänvisa till den från ett steg.",
    ),
    Rule(
        "verification-incomplete",
        E,
        "Kontrollen saknar datum eller källa",
        "När verified är true måste on (datum) och source (https-adress) finnas.",
    ),
    Rule("date-future", E, "Datum i framtiden", "Ett granskat eller kontrollerat datum kan inte ligga i framtiden."),
    Rule(
        "call-chain-gap",
        E,
        "Ingen kontrollerad kontakt svarar",
        'Startsidans ruta "Vem ringer jag nu?" går igenom call_now i contacts.yaml och varje kontakts '
        "outside_hours. Varje minut av veckan och av en helgdag ska någon av dem vara öppen enligt kontrollerade "
        "öppettider (hours_verified: true) och ha ett kontrollerat telefonnummer. Meddelandet säger vilka tider som "
        "saknas. Lägg sist i call_now en kontakt som alltid svarar, som polisen.",
    ),
    Rule(
        "contact-fallback-cycle",
        E,
        "outside_hours går runt i en ring",
        "Kontakter hänvisar till varandra med outside_hours så att kedjan aldrig når en kontakt som alltid svarar. "
        "Låt den sista kontakten i kedjan vara en som svarar dygnet runt.",
    ),
    Rule(
        "contact-inactive-used",
        E,
        "En inaktiv kontakt används där det brådskar",
        "En kontakt med status: inactive står i call_now, är någons outside_hours eller används i ett brådskande "
        "steg. Läsaren skulle skickas till någon som inte längre finns. Byt till en aktiv kontakt.",
    ),
    # Legal
    Rule(
        "legal-section-format",
        E,
        "Paragrafen är inte i svensk citeringsform",
        "Skriv kapitel och paragraf som i lagtexten: 6 §, 11 kap. 1 a §, 4 kap. 1 a §, art. 16.",
    ),
    Rule(
        "legal-url-host",
        E,
        "Länken går inte till en officiell källa",
        "Länken till lagtexten måste gå till en tillåten källa: riksdagen.se, lagen.nu, "
        "eur-lex.europa.eu, coe.int, socialstyrelsen.se eller regeringen.se.",
    ),
    Rule(
        "legal-sfs-missing",
        E,
        "SFS-nummer saknas",
        "En lag eller förordning måste ha sitt SFS-nummer (ÅÅÅÅ:NNN) inom citattecken.",
    ),
    Rule(
        "legal-repealed-cited",
        E,
        "Steget hänvisar till ett upphävt lagrum",
        "Lagrummet är upphävt. Byt hänvisningen till lagrummet som ersätter det.",
    ),
    Rule(
        "legal-repealed-incomplete",
        E,
        "Upphävt lagrum saknar uppgifter",
        "Ett upphävt lagrum måste ha changed_on (datum) och replaced_by (id för det som ersätter det).",
    ),
    Rule(
        "provision-unverified",
        W,
        "Lagrummet är inte kontrollerat",
        "Hänvisningen är inte kontrollerad mot lagtexten. Läsaren ser en varning vid lagrummet. "
        "Kontrollera numret i lagtexten och sätt verified: true med datum och källa.",
    ),
    # Review
    Rule(
        "review-overdue",
        W,
        "Rutinen är inte granskad i tid",
        "Rutinen skulle ha granskats igen. Granska den, uppdatera reviewed och skriv en rad i changelog. "
        "Med --strict är det ett fel.",
    ),
    Rule(
        "routine-draft",
        W,
        "Rutinen är ett utkast",
        "Rutinen är inte beslutad. Läsaren ser en banderoll om att den är ett utkast.",
    ),
    Rule(
        "decision-incomplete",
        E,
        "Beslutet saknar uppgifter",
        "En beslutad rutin (approved) måste ha decided_by, decided_on och diary_number.",
    ),
    # Safety
    Rule(
        "markdown-raw-html",
        E,
        "HTML i texten",
        "Handboken tillåter inte HTML i texterna. Använd Markdown: **fet**, *kursiv*, listor och länkar.",
    ),
    Rule(
        "markdown-not-allowed",
        E,
        "Markdown som handboken inte tillåter",
        "Texterna får använda stycken, **fet** och *kursiv* stil, listor, tabeller, `kod` och länkar skrivna som "
        "`[text](https://…)` eller `[text](rutin:id)`. Bilder, rubriker, attributlistor som `{ .klass }` eller "
        "`{: onclick=… }` och länkar med referens (`[text][1]`) är inte tillåtna: de kan ändra sidan på sätt som "
        "granskaren inte ser i YAML-filen.",
    ),
    Rule("url-unsafe", E, "Osäker länk", "Länkar som börjar med javascript:, data: eller vbscript: är inte tillåtna."),
    Rule(
        "url-not-https",
        E,
        "Länken är inte https",
        "Externa länkar måste börja med https:// så att läsaren inte skickas till en oskyddad sida.",
    ),
    Rule(
        "url-unreachable",
        E,
        "Länken fungerar inte",
        "En extern länk svarar inte eller ger ett fel (till exempel 404). Kontrolleras bara av "
        "handbook check --external, som körs schemalagt och inte vid varje ändring.",
    ),
    Rule(
        "personal-number",
        E,
        "Personnummer i texten",
        "Texten innehåller något som ser ut som ett personnummer eller samordningsnummer. "
        "Handboken får aldrig innehålla uppgifter om ett barn eller någon annan person. Ta bort det.",
    ),
    # Publication (only with handbook check --release)
    Rule(
        "release-blocker",
        E,
        "Hindrar publicering",
        "Visas bara av handbook check --release (make release), som kommunen kör innan handboken publiceras: "
        'kontakter i kedjan "Vem ringer jag nu?" utan kontrollerat nummer eller kontrollerade öppettider, '
        "tider då ingen sådan kontakt svarar, site_url eller edit_uri som inte är kommunens riktiga adress, rutiner "
        "som är utkast och lagrum i brådskande steg som inte är kontrollerade. En vanlig kontroll och ett vanligt "
        "bygge går igenom ändå, men varje sida visar då att handboken är ett utkast.",
    ),
    # The engine's own page structure, static files and hand-written pages' front matter (issue 19)
    Rule(
        "reserved-name",
        E,
        "Ett namn som handboken själv använder",
        "Id och klasser som börjar med `hb-`, `md-` eller `__`, och id:n som `ring-nu`, `min-stadsdel` och "
        "`publicering`, tillhör handbokens egna delar (kortet Vem ringer jag nu?, valet av stadsdel, menyn). "
        "Om en text eller en sida får samma namn kan den ta deras plats, till exempel visa fel telefonnummer. "
        "Namnet kan komma från en "
        "attributlista `{ #namn }`, en rubrik (rubriken blir ankarets namn), en ruta som `!!! namn` eller ett id i "
        "YAML. Byt namn, till exempel genom att skriva om rubriken eller ge den ett eget `{ #id }`.",
    ),
    Rule(
        "docs-file-not-allowed",
        E,
        "En fil i docs/ som inte får publiceras",
        "I docs/ får det bara finnas sidor (.md) och filer som inte kan köra kod: bilder (.png, .jpg, .jpeg, "
        ".gif, .webp), .pdf, .txt, .csv, .json och .yaml. En .svg-bild går bara om den är en enkel bild, utan skript, "
        "länkar och händelser. HTML-, JavaScript- och XML-filer kan köra skript när någon öppnar dem, och kan därför "
        "inte publiceras från docs/. Skriv innehållet som en sida i Markdown i stället, eller spara en bild som "
        ".png. Handbokens egna filer under docs/assets/vendor/ är undantag och får inte ändras.",
    ),
    Rule(
        "config-setting-invalid",
        E,
        "En inställning i mkdocs.yml som handboken inte kan använda",
        "Under extra: i mkdocs.yml står handbokens egna inställningar: contact_kinds (rubriker på sidan "
        "Kontakter), search_boost (en rutins vikt i sökningen), urgent_numbers (numren överst på varje "
        "kortversion) och missing_number (vad sidan säger när ett nummer saknas). Ett värde av fel slag skulle "
        "annars tyst bytas mot handbokens standardvärde. Skriv värdet som meddelandet säger. Ett id som "
        "inställningen nämner (en rutin, en kontakt) måste finnas, precis som i rutinerna.",
    ),
    Rule(
        "config-text-unsafe",
        E,
        "En text i mkdocs.yml kan bli HTML",
        "site_name, site_description, site_author och copyright i mkdocs.yml skrivs rakt in i varje sidas HTML av "
        "temat, utan skydd. Tecknen < > \" ' ` och & kan då bli HTML, till exempel ett skript eller en omdirigering. "
        "Skriv texterna utan dem.",
    ),
    Rule(
        "front-matter-invalid",
        E,
        "Sidans inledning (front matter) är fel",
        "En handskriven sida får börja med en inledning mellan två rader med ---. Där får bara stå title "
        "(sidans titel, en rad text), description (en kort beskrivning, en rad text), hide (en lista med navigation, "
        "toc eller footer), search (exclude: true/false eller boost: ett tal) och edit_url (en https-adress). "
        "Allt annat tas bort eller rättas: inledningen hamnar i sidans HTML.",
    ),
    # Content hardening (issue 19): scaffold texts, reserved ids, self references
    Rule(
        "placeholder-text",
        E,
        "Mallens text är kvar",
        'handbook new routine, step och contact skriver texter som börjar med "Skriv" och ska bytas ut. En sådan '
        "text får inte finnas kvar i något fält, inte heller i ett utkast, eftersom den annars kan nå läsaren.",
    ),
    Rule(
        "id-reserved",
        E,
        "Id:t är reserverat",
        "Ett id blir en del av webbadressen. Id:t index skulle ersätta handbokens egen listsida (till exempel "
        f"{PAGE['roles'].url()}). Välj ett annat id.",
    ),
    Rule(
        "routine-related-self",
        E,
        "Rutinen är relaterad till sig själv",
        "En rutin kan inte stå under sina egna related. Ta bort den.",
    ),
    Rule(
        "page-conflict",
        E,
        "En sida har samma adress som en sida som skapas från YAML",
        "Sidor som lagrum, kontakter, ordlista och varje rutin skapas från YAML-filerna. En handskriven sida i docs/ "
        f"med samma adress (till exempel docs/{PAGE['provisions'].path} eller "
        f"docs/{PAGE['provisions'].path.removesuffix('.md')}/index.md) gör att bygget stoppar. Byt namn "
        "på filen, eller ändra innehållet i YAML-filen.",
    ),
    Rule(
        "contact-number-replaced",
        W,
        "Den lokala handboken byter ett kontrollerat nummer",
        "En kontakt i den lokala handbokens contacts.yaml ersätter en kontakt i grundhandboken som har ett "
        "kontrollerat nummer, med ett annat nummer. Det får en stad göra, men aldrig i tysthet: numret räknas som "
        "okontrollerat, och startsidan rekommenderar det inte, tills den lokala kontakten har en egen källa i "
        "verification.source som anger det nya numret.",
    ),
    # Published links
    Rule(
        "published-link-removed",
        E,
        "En publicerad länk försvinner",
        "En adress som har publicerats (och kan finnas i utbildningsmaterial) finns inte längre. "
        "Lägg det gamla id:t under aliases på det nya stället, så att länken fortsätter att fungera.",
    ),
    Rule(
        "published-links-outdated",
        W,
        "Listan över publicerade länkar är inte uppdaterad",
        "Det finns nya adresser som inte står i published-links.txt. Kör make links för att uppdatera listan.",
    ),
)
