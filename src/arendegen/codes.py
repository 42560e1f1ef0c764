"""Every rule's stable code (AG101 …), defined once, with a short Swedish title.

A code names the rule a diagnostic comes from, whatever values its message shows, so that
a CI log can be searched and a team can agree on what to look at. Codes are never reused
or renumbered: a new rule takes the next free number of its family, and a rule that is
dropped leaves its number unused. The code is given where the finding is made (never worked
out from a message's text). The families:

1xx the file and its YAML; 2xx the schema (keys, types, values); 3xx the case's own
consistency (references, decisions, wording); 4xx tables and figures; 5xx template packs
and layouts; 6xx building (attachments, output files); 7xx folders, paths and settings;
8xx meetings and protocols.

docs/rules.md is generated from this module (`rules_markdown`).
"""

from __future__ import annotations

from arendegen.diagnostics import Rule, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING

RULES: dict[str, Rule] = {}
"""Every rule by its code, in the order of definition."""

FAMILIES = {
    1: "Filen och dess YAML",
    2: "Schemat: nycklar, typer och värden",
    3: "Ärendet: hänvisningar, beslut och ordval",
    4: "Tabeller och siffror",
    5: "Mallpaket och layouter",
    6: "Bygget: bifogade filer och utfiler",
    7: "Mappar, sökvägar och inställningar",
    8: "Sammanträden och protokoll",
}


def _rule(number: int, title: str, severity: Severity | None = ERROR) -> Rule:
    code = f"AG{number}"
    if code in RULES:
        raise ValueError(f"{code} is defined twice")
    RULES[code] = rule = Rule(code, title, severity)
    return rule


# 1xx: the file and its YAML
FILE_UNREADABLE = _rule(101, "filen kan inte läsas")
FILE_TOO_LARGE = _rule(102, "filen är för stor")
NOT_UTF8 = _rule(103, "filen är inte UTF-8")
CONTROL_CHARACTER = _rule(104, "ett styrtecken i texten")
YAML_TAB = _rule(105, "tabbtecken som indrag")
YAML_SYNTAX = _rule(106, "felaktig YAML")
ANCHOR_TWICE = _rule(107, "två ankare med samma namn")
TOO_MANY_VALUES = _rule(108, "filen expanderar till för många värden")
TOO_DEEP = _rule(109, "för djup nästling")
RECURSIVE_ANCHOR = _rule(110, "ett ankare som hänvisar till sig självt")
YAML_TAG = _rule(111, "en YAML-tagg (t.ex. !!binary)")
TOO_MUCH_TEXT = _rule(112, "filen expanderar till för mycket text")
YES_NO_WORD = _rule(113, "ett ord som YAML-läsare kan läsa som ja/nej")
LEADING_ZERO = _rule(114, "ett tal med inledande nolla")
UNDERSCORE_NUMBER = _rule(115, "ett tal med understreck")
PREFIXED_NUMBER = _rule(116, "ett hexadecimalt, oktalt eller binärt tal")
SEXAGESIMAL = _rule(117, "ett tal i sextiotalssystemet")
COMMA_IN_FLOW = _rule(118, "ett kommatecken delar ett värde inom { }")
COMPLEX_KEY = _rule(119, "en nyckel som inte är text")
DUPLICATE_KEY = _rule(120, "en nyckel som finns två gånger")
MERGE_NOT_MAPPING = _rule(121, "'<<' slår ihop något annat än en mappning")
EMPTY_FILE = _rule(122, "filen är tom")
NOT_A_MAPPING = _rule(123, "filen är ingen mappning")
MORE_NOT_SHOWN = _rule(124, "fler problem i filen än som visas", None)
UNKNOWN_ALIAS = _rule(125, "ett alias till ett ankare som inte finns")

# 2xx: the schema
MISSING_KEY = _rule(201, "en nyckel saknas")
UNKNOWN_KEY = _rule(202, "en okänd nyckel")
NOT_ALLOWED = _rule(203, "ett värde som inte är ett av de tillåtna")
MISSING_KIND = _rule(204, "nyckeln som väljer sorts post saknas")
NOT_MAPPING = _rule(205, "väntade en mappning")
NOT_LIST = _rule(206, "väntade en lista")
NOT_BOOLEAN = _rule(207, "väntade true eller false")
TOO_MANY_ITEMS = _rule(208, "för många poster i en lista")
EMPTY_LIST = _rule(209, "en tom lista")
INVALID_VALUE = _rule(210, "ett ogiltigt värde")
NOT_TEXT = _rule(211, "väntade text")
TEXT_TOO_LONG = _rule(212, "en för lång text")
EMPTY_TEXT = _rule(213, "en tom text")
LINE_BREAK = _rule(214, "radbrytning i en text på en rad")
BAD_DATE = _rule(215, "inget giltigt datum")
BAD_YEAR = _rule(216, "inget rimligt årtal")
BAD_PARAGRAPHS = _rule(217, "inget giltigt paragrafintervall")
BAD_TIME = _rule(218, "inget giltigt klockslag")
BAD_NUMBER = _rule(219, "inget giltigt tal")
BAD_INTEGER = _rule(220, "inget giltigt heltal")
BAD_AMOUNT = _rule(221, "inget giltigt belopp")
BAD_UNIT = _rule(222, "ingen känd enhet")
BAD_PARTY = _rule(223, "ingen partiförkortning")
BAD_PERIOD = _rule(224, "ingen giltig period")
DECISION_NOT_MAPPING = _rule(225, "ett beslut som varken är en mappning eller 'okänd'")

# 3xx: the case's own consistency
REQUIRED_SECTION = _rule(301, "mallen kräver ett avsnitt som handlingen saknar")
NO_DIARIENUMMER = _rule(302, "ärendet har inget diarienummer", WARNING)
DIARIENUMMER_PATTERN = _rule(303, "diarienumret följer inte mallens mönster")
NO_DATE = _rule(304, "ärendet har inget datum", WARNING)
NO_ATT = _rule(305, "ett beslut eller förslag utan att-sats")
EMPTY_DISTRIBUTION = _rule(306, "sändlistan är tom")
DOCUMENT_TWICE = _rule(307, "två handlingar med samma namn")
NEEDS_PROPOSAL = _rule(308, "handlingen behöver ärendets förslag till beslut")
END_BEFORE_START = _rule(309, "ett slutdatum före startdatum")
UNKNOWN_TABLE = _rule(310, "en hänvisning till en tabell som inte finns")
WRONG_TABLE_KIND = _rule(311, "en hänvisning till en tabell av fel typ")
ANNEX_NUMBER_TWICE = _rule(312, "två bilagor med samma nummer")
UNKNOWN_DOCUMENT = _rule(313, "en hänvisning till en handling som inte finns")
UNKNOWN_ANNEX = _rule(314, "en hänvisning till en bilaga som inte finns")
TABLE_TWICE_IN_SECTION = _rule(315, "samma tabell två gånger i ett avsnitt")
TOO_MANY_SHOWN_FIGURES = _rule(316, "avsnitten visar för många uppgifter")
UNKNOWN_DECISION_WITH_CLAUSES = _rule(317, "ett okänt beslut med satser")
VERB_WITHOUT_ATT = _rule(318, "ett verb som slutar utan 'att'")
CLAUSE_STARTS_WITH_ATT = _rule(319, "en sats som börjar med 'att'")
CLAUSE_CAPITAL = _rule(320, "en sats efter 'att' med stor bokstav", WARNING)
VERB_OF_OTHER_BODY = _rule(321, "förslagets verb passar inte utdragets organ", WARNING)
EXTRACT_LACKS_DOCUMENTS = _rule(322, "utdraget listar inte alla beslutsunderlag", WARNING)
BODY_DECIDES_NOT = _rule(323, "organet beslutar inte själv enligt beslutsordningen")
NO_BODY = _rule(324, "förslaget anger varken organ eller beslutsordning")
BODY_NOT_IN_ORDER = _rule(325, "ett organ som inte finns i beslutsordningen")
CLAUSE_NO_VERB = _rule(326, "en sats för ett annat organ utan verb")
BODY_TWICE = _rule(327, "ett organ två gånger i beslutsordningen")
ID_TWICE = _rule(328, "samma id under referenser och jämförelser")
UNKNOWN_MENTION = _rule(329, "[[…]] nämner en referens eller jämförelse som inte finns")
REFERENCE_INCOMPLETE = _rule(330, "en referens som varken är beslut, ärende eller handling")
UNKNOWN_REFERENCE = _rule(331, "en hänvisning till en referens som inte finns")
ANNEX_NEEDS_REFERENCE = _rule(332, "en bilaga av slaget beslut utan referens")
CHECKLIST_EMPTY = _rule(333, "checklistan har inga frågor")
CHECKLIST_NO_EXPLANATION = _rule(334, "en fråga i checklistan saknar förklaring", WARNING)
MOTION_NO_PROPOSER = _rule(335, "motionen anger inte vem som lämnat den")
MOTION_NO_PARTY = _rule(336, "en förslagsställare utan parti")
MOTION_ANSWER_NO_PROPOSAL = _rule(337, "svaret på förslaget saknar förslag till beslut")
CONSULTATION_MISSING = _rule(338, "ett remissyttrande utan ärendets remiss")
REPLY_AFTER_DEADLINE = _rule(339, "yttrandet är daterat efter sista svarsdag", WARNING)
DELEGATION_MISSING = _rule(340, "ett delegationsbeslut utan ärendets delegation")
CONSULTATION_LATE = _rule(341, "remissen kom in efter sista svarsdag")
NOT_KNOWN_YET = _rule(342, "en uppgift som inte är känd ännu (byggs som utkast)", WARNING)

# 4xx: tables and figures
FIGURE_MISMATCH = _rule(401, "en angiven siffra stämmer inte med den beräknade")
NO_UNIT = _rule(402, "ett belopp utan enhet")
IMPLAUSIBLE_UNIT = _rule(403, "ett belopp som ser ut att ha fel enhet", WARNING)
PARTS_EXCEED_ROW = _rule(404, "därav-raderna är mer än raden själv")
PARTS_UNEXPLAINED = _rule(405, "därav-raderna förklarar inte raden", WARNING)
CITATION_CONTRADICTS = _rule(406, "texten skriver ett annat tal än tabellen", WARNING)
CITATION_UNKNOWN_TABLE = _rule(407, "[[…]] citerar en tabell som inte finns")
CITATION_NEEDS_CELL = _rule(408, "[[…]] anger inte både rad och kolumn")
CITATION_UNKNOWN_ROW = _rule(409, "[[…]] citerar en rad som inte finns")
CITATION_UNKNOWN_COLUMN = _rule(410, "[[…]] citerar en kolumn som inte finns")
CITATION_UNKNOWN_FIGURE = _rule(411, "[[…]] citerar ett tal som tabellen inte har")
NO_GROUPS = _rule(412, "fördelningen har inga grupper")
EMPTY_GROUP = _rule(413, "en grupp utan poster")
NO_COLUMNS = _rule(414, "tabellen har inga kolumner")
NO_ROWS = _rule(415, "tabellen har inga rader")
COLUMN_TWICE = _rule(416, "en kolumn två gånger")
UNKNOWN_COLUMN = _rule(417, "en hänvisning till en kolumn som inte finns")
NO_AMOUNTS = _rule(418, "tabellen har inga belopp", WARNING)
CATEGORY_TWICE = _rule(419, "en kategori två gånger")
NEGATIVE_RATE = _rule(420, "en negativ schablon")
EMPTY_CATEGORY = _rule(421, "en kategori utan belopp och anmärkning")
RATE_YEAR_MISSING = _rule(422, "schablontabellen har ingen kolumn för året")
UNKNOWN_CATEGORY = _rule(423, "en kategori som inte finns i schablontabellen")
NO_MATCHING_RATE = _rule(424, "ingen schablon passar raden")
AMBIGUOUS_RATE = _rule(425, "flera schabloner passar raden")
NEGATIVE_HOURS = _rule(426, "ett negativt antal timmar")
FORECAST_TWICE = _rule(427, "både prognos och prognos över budget")
YEAR_TWICE = _rule(428, "ett år två gånger")
UNKNOWN_YEAR = _rule(429, "en hänvisning till ett år som inte finns")
DEFICIT_NO_FORECAST = _rule(430, "underskottets år har ingen prognos")
COMPARISON_NO_CHANGE = _rule(431, "en jämförelse utan förändring eller resultat")
SUM_AND_DIFFERENCE = _rule(432, "en kolumn med både summa och skillnad")
DIFFERENCE_NEEDS_TWO = _rule(433, "en skillnad som inte bygger på två kolumner")
COLUMN_ON_ITSELF = _rule(434, "en kolumn som bygger på sig själv")
COLUMN_AFTER = _rule(435, "en beräknad kolumn som bygger på en senare kolumn")
COLUMN_NOT_COMPUTED = _rule(436, "en kolumn av ett slag som inte beräknas så")
COLUMN_KINDS_DIFFER = _rule(437, "en beräknad kolumn som bygger på en kolumn av annat slag")
TEXT_UNDER_AMOUNTS = _rule(438, "text under radens belopp")
NUMBER_WITH_UNIT = _rule(439, "ett tal med enhet i en kolumn utan kronor")
NUMBER_UNDER_TEXT = _rule(440, "ett tal under radens text")
HEADING_ROW_AMOUNTS = _rule(441, "en rubrikrad med belopp")
ROW_NEEDS_PARENT = _rule(442, "en rad som behöver `av`")
UNKNOWN_ROW = _rule(443, "en hänvisning till en rad som inte finns")
ROW_ON_ITSELF = _rule(444, "en rad som bygger på sig själv")
ROW_NEEDS_NO_PARENT = _rule(445, "en rad vars roll inte bygger på andra rader")
ROW_CYCLE = _rule(446, "rader som bygger på varandra i en cirkel")
ROW_ID_TWICE = _rule(447, "ett rad-id två gånger")
MOVE_SAME_YEAR = _rule(448, "pengar som flyttas till samma år")
OPERATING_COST_MISSING = _rule(449, "en driftkonsekvens utan belopp eller beräkning")
DEPRECIATION_AND_INTEREST = _rule(450, "både avskrivningstid och ränta")

# 5xx: template packs and layouts
UNKNOWN_PACK = _rule(501, "en mall som inte finns")
PACK_REFUSED = _rule(502, "ett mallpaket som leder ut ur mallmappen")
PACK_NAME_MISMATCH = _rule(503, "mallpaketets namn är inte mappens", WARNING)
PACK_FILE_OUTSIDE = _rule(504, "en fil utanför mallpaketets mapp")
LOGO_MISSING = _rule(505, "logotypen finns inte")
LOGO_PROBLEM = _rule(506, "logotypen kan inte användas")
TEMPLATE_MISSING = _rule(507, "mallfilen finns inte")
TEMPLATE_PACKAGE = _rule(508, "mallfilens innehåll är inte tillåtet")
TEMPLATE_UNREADABLE = _rule(509, "mallfilen kan inte läsas som Word-mall")
TEMPLATE_SOURCE = _rule(510, "en mallkod som inte kan köras")
TEMPLATE_UNKNOWN_NAME = _rule(511, "mallen använder ett namn som inte finns")
TEMPLATE_NO_BODY = _rule(512, "brödtexten skriver inte ut innehållet")
TEMPLATE_NO_PAGE = _rule(513, "sidhuvud och sidfot skriver inte ut sida")
TEMPLATE_STYLE_MISSING = _rule(514, "en formatmall saknas i mallen")
TEMPLATE_FAILED = _rule(515, "mallen kan inte fylla i ärendets handlingar")
LAYOUT_FAILED = _rule(516, "layouten kan inte ställa upp ärendets handlingar")
NOT_SHOWN_BY_LAYOUT = _rule(517, "layouten har inget fält eller block för en uppgift", WARNING)
NOT_SHOWN_ANYWHERE = _rule(518, "en uppgift som ingen handling visar", WARNING)
TABLE_NOT_SHOWN = _rule(519, "en tabell som ingen handling visar", WARNING)
UNKNOWN_LAYOUT_NAME = _rule(520, "ett okänt namn i en layout")
BAD_HEADING_LEVEL = _rule(521, "ingen rubriknivå")
BLOCK_MISFIT = _rule(522, "ett block med nycklar som inte passar dess sort")
UNKNOWN_FIELD = _rule(523, "ett fält som inte finns")
DATE_FORMAT_FIELD = _rule(524, "datumformat för ett fält som inte är ett datum")
FIELD_OR_TEXT = _rule(525, "varken eller både fält och text")
FORM_KEY = _rule(526, "en nyckel som inte hör till formen")
BLOCK_REPEATED = _rule(527, "ett block som står för många gånger")
PARAGRAPH_BLOCK = _rule(528, "ett block som inte hör till en paragraf")
PARAGRAPH_BLOCKS_KIND = _rule(529, "paragraf_block för en annan handling än ett protokoll")
PAGE_NUMBER_TEXT = _rule(530, "en sidnumrering utan rätt {sida} och {antal}")
BAD_PATTERN = _rule(531, "ett mönster som inte kan användas")

# 6xx: building
SAME_FILE_NAME = _rule(601, "två handlingar som får samma filnamn")
ATTACHMENT_MISSING = _rule(602, "en bifogad fil som inte finns")
ATTACHMENT_NOT_PDF = _rule(603, "en bifogad fil som inte är PDF", WARNING)
ATTACHMENT_TOO_LARGE = _rule(604, "en bifogad fil som är för stor")
ATTACHMENT_BROKEN = _rule(605, "en bifogad fil som inte kan läsas som PDF")
ATTACHMENT_TOO_MANY_PAGES = _rule(606, "en bifogad fil med för många sidor")
PACKAGE_TOO_LARGE = _rule(607, "handlingspaketet blir för stort")
PACKAGE_TOO_MANY_PAGES = _rule(608, "handlingspaketet får för många sidor")
PACKAGE_FAILED = _rule(609, "handlingspaketet kunde inte göras")
PACKAGE_NOT_PDFA = _rule(610, "handlingspaketet blir inte PDF/A", WARNING)
MANIFEST_DAMAGED = _rule(611, "förteckningen över arendegens filer är skadad", WARNING)
RESERVED_NAME = _rule(612, "ett filnamn som är arendegens eget")
STRICT = _rule(613, "byggs inte: varningar räknas som fel (--strict)")
NOT_BUILT_YET = _rule(614, "byggs inte: uppgifter är inte kända ännu", WARNING)
FOLDER_CLASH = _rule(615, "en fil och en mapp med samma namn")
FILE_NAME_TAKEN = _rule(616, "ett filnamn som ett annat ärende redan använder")
BUILD_FAILED = _rule(617, "handlingen kunde inte göras")
NO_PDF = _rule(618, "ingen PDF")
CANNOT_WRITE = _rule(619, "en fil som inte kan skrivas")
NOT_OURS = _rule(620, "en fil som arendegen inte har gjort")
NO_ODT = _rule(621, "ingen ODT-fil")

# 7xx: folders, paths and settings
OUTSIDE_REPOSITORY = _rule(701, "en sökväg utanför ärenderepot")
NAME_NOT_UTF8 = _rule(702, "ett filnamn som inte är giltig UTF-8")
CASE_LINK_OUT = _rule(703, "en ärendefil som är en länk ut ur ärenderepot")
FOLDER_NOT_WALKED = _rule(704, "en mapp som inte söks igenom")
SETTING_OUTSIDE = _rule(705, "en mapp i inställningarna ligger utanför ärenderepot")

# 8xx: meetings and protocols
ITEM_WITHOUT_HEADING = _rule(801, "en paragraf utan rubrik")
AGENDA_NO_NOTICE = _rule(802, "`ärende` utan en enda kallelse att hämta från")
AGENDA_NO_ITEM = _rule(803, "kallelsens föredragningslista har inget sådant ärende")
EXTRACT_NO_DECISION = _rule(804, "protokollsutdraget har inget beslut", WARNING)
NO_PARAGRAPH_NUMBER = _rule(805, "paragrafnumret är inte angivet", WARNING)
PARAGRAPH_NOT_POSITIVE = _rule(806, "ett paragrafnummer som inte är positivt")
NOT_ATTESTED = _rule(807, "utdraget är ur ett ojusterat protokoll", WARNING)
ATTESTATION_UNSTATED = _rule(808, "utdraget säger inte att protokollet är justerat", WARNING)
EXTRACT_NO_MEETING_DATE = _rule(809, "protokollsutdraget har inget sammanträdesdatum", WARNING)
EXTRACT_NO_DISTRIBUTION = _rule(810, "protokollsutdraget har ingen sändlista", WARNING)
CLAIM_AMOUNT = _rule(811, "ett belopp i ett yrkande av ett slag utan belopp")
CLAIM_BY_DISQUALIFIED = _rule(812, "ett yrkande av någon som anmält jäv")
CLAIM_BY_ABSENT = _rule(813, "ett yrkande av någon som inte tjänstgör", WARNING)
CLAIM_WHO = _rule(814, "yrkandet anger inte på ett sätt vem som yrkar")
RESERVATION_NOBODY = _rule(815, "en reservation utan ledamot")
RESERVATION_NO_PARTY = _rule(816, "en reservation utan parti")
RESERVATION_BY_DISQUALIFIED = _rule(817, "en reservation av någon som anmält jäv")
RESERVATION_BY_ABSENT = _rule(818, "en reservation av någon som inte tjänstgör")
RESERVATION_OWN_CLAIM = _rule(819, "en reservation för eget yrkande utan yrkande")
STATEMENT_NOBODY = _rule(820, "en protokollsanteckning utan ledamot")
STATEMENT_EMPTY = _rule(821, "en protokollsanteckning utan text eller bilaga")
DIVISION_NO_VOTES = _rule(822, "en votering utan röster")
VOTER_TWICE = _rule(823, "en ledamot som röstar två gånger")
VOTE_BY_DISQUALIFIED = _rule(824, "en röst av någon som anmält jäv")
VOTE_BY_ABSENT = _rule(825, "en röst av någon som inte tjänstgör")
MISSING_VOTES = _rule(826, "tjänstgörande ledamöter utan röst", WARNING)
VOTES_NOT_PRESENT = _rule(827, "fler eller färre röster än tjänstgörande ledamöter")
TIE_NO_OUTCOME = _rule(828, "lika röstetal utan angivet utfall")
VOTE_OUTCOME = _rule(829, "angivet utfall stämmer inte med rösterna")
VOTE_COUNT = _rule(830, "angivet antal röster stämmer inte med rösterna")
MINUTES_NO_ITEMS = _rule(831, "protokollet har inga paragrafer")
PARAGRAPH_TWICE = _rule(832, "en paragraf två gånger")
ITEMS_OUT_OF_ORDER = _rule(833, "paragrafer i fel ordning")
ITEMS_MISSING = _rule(834, "paragrafer saknas mellan två paragrafer", WARNING)
ITEM_OUTSIDE_MEETING = _rule(835, "en paragraf utanför sammanträdets paragrafer")
CLAIMS_NO_DECISION = _rule(836, "en paragraf med yrkanden men utan beslut")
MEMBER_TWICE = _rule(837, "en ledamot två gånger")
PRESENT_AND_ABSENT = _rule(838, "en ledamot som både tjänstgör och är frånvarande")
NO_CHAIR = _rule(839, "ingen ledamot är ordförande", WARNING)
TWO_CHAIRS = _rule(840, "två ordförande")
SUBSTITUTE_FOR_PRESENT = _rule(841, "en ersättare för någon som själv tjänstgör")
SUBSTITUTE_FOR_WHOM = _rule(842, "en ersättare utan angiven ledamot", WARNING)
NO_SUCH_PARAGRAPH = _rule(843, "en hänvisning till en paragraf som inte finns")
ADJUSTER_ABSENT = _rule(844, "en justerare som inte tjänstgör", WARNING)
ADJOURNMENT_ENDS_EARLY = _rule(845, "en ajournering som slutar innan den börjar")
MEETING_ENDS_EARLY = _rule(846, "ett sammanträde som slutar innan det börjar")
ADJOURNMENT_OUTSIDE = _rule(847, "en ajournering utanför sammanträdet")
NO_ADJUSTER = _rule(848, "protokollet har ingen justerare")
ATTESTED_BEFORE_MEETING = _rule(849, "protokollet justeras före sammanträdet")
POSTED_BEFORE_ATTESTATION = _rule(850, "anslaget sätts upp före justeringen")
POSTING_TOO_SHORT = _rule(851, "anslaget sitter kortare än tre veckor")
PAGE_OUTSIDE = _rule(852, "en sida som inte finns i protokollet")
VOTE_TOLD_TWICE = _rule(853, "en beslutsgång som också berättar voteringen", WARNING)


def rules_markdown() -> str:
    """docs/rules.md: every code, its title and severity, family by family."""
    lines = [
        "# Regelkoder",
        "",
        "<!-- Genererad av arendegen.codes.rules_markdown(); ändra inte för hand. -->",
        "",
        "Varje problem som `arendegen validate` och `arendegen build` rapporterar har en kod, "
        "t.ex. `AG401`: samma regel ger alltid samma kod, vilka värden meddelandet än visar. "
        "En kod byts aldrig och återanvänds aldrig.",
        "",
        "I text står koden efter allvaret: `fil:rad:kolumn: fel[AG120]: nyckel: meddelande`. "
        "Med `--output-format json` är den fältet `code`, med `--output-format github` "
        "annoteringens rubrik (`title=AG120`).",
    ]
    for family, heading in FAMILIES.items():
        lines += ["", f"## {family}xx: {heading}", "", "| Kod | Regel | Allvar |", "|---|---|---|"]
        for rule in RULES.values():
            if rule.code[2] == str(family):
                severity = (
                    rule.severity.value if rule.severity else "fel eller varning, som de dolda"
                )
                lines.append(f"| {rule.code} | {rule.title} | {severity} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m arendegen.codes > docs/rules.md
    print(rules_markdown(), end="")
