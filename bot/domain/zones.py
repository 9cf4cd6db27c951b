"""Time zones as people type them: the IANA names a subscription may use (the tz database's places,
not its pseudo-zones), and what to suggest for one typed wrong (an abbreviation, a UTC offset, a
misspelt city)."""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re
from zoneinfo import available_timezones

# Files of the tz database that are not places: `localtime` is whatever the host is set to (replicas
# on two hosts would disagree), `posixrules` is New York in disguise, `Factory` is no time at all.
_PSEUDO = frozenset({"localtime", "posixrules", "factory"})
# Old zones named like abbreviations: EST, MST and HST keep standard time all year (a New York digest
# "at 09:00 EST" would come at 10:00 all summer), the others are US rules of before 1967. Refused with
# the place to use, as the abbreviations below.
_LEGACY = frozenset({"est", "mst", "hst", "est5edt", "cst6cdt", "mst7mdt", "pst8pdt"})
_PSEUDO_FOLDERS = ("posix/", "right/")
# Abbreviations people type for a zone, with the zone to use (it follows daylight saving).
ABBREVIATIONS = {
    "pst": ("Pacific time", "America/Los_Angeles"),
    "pdt": ("Pacific time", "America/Los_Angeles"),
    "mdt": ("Mountain time", "America/Denver"),
    "cst": ("Central time", "America/Chicago"),
    "cdt": ("Central time", "America/Chicago"),
    "edt": ("Eastern time", "America/New_York"),
    "est": ("Eastern time", "America/New_York"),
    "est5edt": ("Eastern time", "America/New_York"),
    "cst6cdt": ("Central time", "America/Chicago"),
    "mst": ("Mountain time", "America/Denver (Arizona: America/Phoenix)"),
    "mst7mdt": ("Mountain time", "America/Denver"),
    "pst8pdt": ("Pacific time", "America/Los_Angeles"),
    "hst": ("Hawaii", "Pacific/Honolulu"),
    "akst": ("Alaska time", "America/Anchorage"),
    "bst": ("British time", "Europe/London"),
    "ist": ("India", "Asia/Kolkata"),
    "cest": ("Central European time", "Europe/Berlin"),
    "eest": ("Eastern European time", "Europe/Athens"),
    "west": ("Western European time", "Europe/Lisbon"),
    "msk": ("Moscow", "Europe/Moscow"),
    "jst": ("Japan", "Asia/Tokyo"),
    "kst": ("Korea", "Asia/Seoul"),
    "sgt": ("Singapore", "Asia/Singapore"),
    "hkt": ("Hong Kong", "Asia/Hong_Kong"),
    "aest": ("Sydney", "Australia/Sydney"),
    "aedt": ("Sydney", "Australia/Sydney"),
    "awst": ("Perth", "Australia/Perth"),
    "nzst": ("New Zealand", "Pacific/Auckland"),
    "nzdt": ("New Zealand", "Pacific/Auckland"),
    "brt": ("Brasília", "America/Sao_Paulo"),
    "sast": ("South Africa", "Africa/Johannesburg"),
}
# Cities people name that are no zone's name, with their zone (IANA names a zone by one city of it).
CITIES = {
    **dict.fromkeys(
        ("delhi", "new_delhi", "mumbai", "bombay", "bangalore", "bengaluru", "chennai", "hyderabad", "pune", "india"),
        "Asia/Kolkata",
    ),
    **dict.fromkeys(("beijing", "shenzhen", "hangzhou", "guangzhou", "china"), "Asia/Shanghai"),
    **dict.fromkeys(
        ("san_francisco", "sf", "seattle", "palo_alto", "mountain_view", "menlo_park"), "America/Los_Angeles"
    ),
    **dict.fromkeys(("boston", "washington", "pittsburgh", "atlanta", "miami", "montreal"), "America/New_York"),
    **dict.fromkeys(("austin", "houston", "dallas"), "America/Chicago"),
    **dict.fromkeys(("munich", "frankfurt", "hamburg", "cologne"), "Europe/Berlin"),
    **dict.fromkeys(("cambridge", "oxford", "edinburgh", "manchester"), "Europe/London"),
    **dict.fromkeys(("osaka", "kyoto"), "Asia/Tokyo"),
    "tel_aviv": "Asia/Jerusalem",
    "abu_dhabi": "Asia/Dubai",
    "geneva": "Europe/Zurich",
    "lausanne": "Europe/Zurich",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "montreal_canada": "America/Toronto",
}
_HALF_HOURS = {
    "+5:30": "Asia/Kolkata",
    "+5:45": "Asia/Kathmandu",
    "+3:30": "Asia/Tehran",
    "+4:30": "Asia/Kabul",
    "+6:30": "Asia/Yangon",
    "+9:30": "Australia/Adelaide",
    "-3:30": "America/St_Johns",
}
# Countries people name otherwise than the tz database's list of them (`iso3166.tab`: "Britain (UK)")
_COUNTRY_NAMES = {
    **dict.fromkeys(("usa", "us", "u.s.", "u.s.a.", "america_(usa)", "united_states_of_america"), "US"),
    **dict.fromkeys(("uk", "u.k.", "united_kingdom", "great_britain", "england", "scotland", "wales"), "GB"),
    **dict.fromkeys(("korea", "south_korea", "republic_of_korea"), "KR"),
    **dict.fromkeys(("czechia", "czech"), "CZ"),
    **dict.fromkeys(("holland", "the_netherlands"), "NL"),
    **dict.fromkeys(("uae", "emirates"), "AE"),
    **dict.fromkeys(("samoa", "western_samoa"), "WS"),
    "american_samoa": "AS",
    "north_korea": "KP",
    "ivory_coast": "CI",
    "swaziland": "SZ",
    "macedonia": "MK",
    "burma": "MM",
}
_NOT_COUNTRIES = frozenset({"georgia"})  # a state of the US too: `Atlanta, Georgia` is no place in Tbilisi
# The zone a country's name means where the tz database places it in several, the others holding few of
# its people (`Germany`: Europe/Berlin, not Europe/Busingen, a town of 1,400)
_COUNTRY_ZONE = {
    "DE": "Europe/Berlin",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "CN": "Asia/Shanghai",
    "NZ": "Pacific/Auckland",
    "CL": "America/Santiago",
    "CY": "Asia/Nicosia",
    "UA": "Europe/Kyiv",
    "EC": "America/Guayaquil",
    "MY": "Asia/Kuala_Lumpur",
    "AR": "America/Argentina/Buenos_Aires",
    "UZ": "Asia/Tashkent",
    "PG": "Pacific/Port_Moresby",
}
# The zones most of a country of many lives in, offered first (the tz database lists them east to west)
_COUNTRY_FIRST = {
    "US": (
        *("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles"),
        *("America/Anchorage", "Pacific/Honolulu"),
    ),
    "CA": (
        *("America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax"),
        "America/St_Johns",
    ),
    "AU": (
        *("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Adelaide"),
        *("Australia/Perth", "Australia/Darwin", "Australia/Hobart"),
    ),
    "BR": ("America/Sao_Paulo", "America/Manaus", "America/Fortaleza", "America/Recife"),
    "MX": ("America/Mexico_City", "America/Tijuana", "America/Monterrey", "America/Cancun"),
    "RU": ("Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok"),
    "ID": ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"),
}
ZONE_CHOICES = 100  # what a select menu can list at once
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.ASCII)


def is_place(name: str) -> bool:
    """Whether a loadable zone name is a place's (not `localtime`, `posixrules`, `Factory`, `posix/…`, nor
    an old abbreviation-like zone such as `EST`)."""
    low = name.lower()
    return low not in _PSEUDO and low not in _LEGACY and not low.startswith(_PSEUDO_FOLDERS)


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone that is a place, sorted (a walk over the zone files: done once)."""
    return tuple(sorted(z for z in available_timezones() if is_place(z)))


@functools.cache
def zones_by_lower() -> dict[str, str]:
    return {zone.lower(): zone for zone in zone_names()}


_CONTINENTS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
)


# A zone's city that names another place people more likely mean, or a direction: asked, never taken
# (`San Juan` is Puerto Rico's too, `Victoria` British Columbia's; `Australia/South` is a state's old name).
_ELSEWHERE = frozenset({"san_juan", "cordoba", "victoria", "la_paz", "north", "south", "west", "east"})


@functools.cache
def _cities() -> dict[str, str]:
    """A zone's city, lowercased (`berlin`, `new_york`), with its zone. A city of two names is taken by
    its name under a continent with the most parts (`America/Argentina/Buenos_Aires`, not the old
    link `America/Buenos_Aires`); one only of old country folders is not (`Pacific`: of Canada and of
    the US). No `Etc/` name: `GMT+3` is an offset, whose sign these names invert."""
    found: dict[str, list[str]] = {}
    for zone in zone_names():
        area, slash, city = zone.rpartition("/")
        if slash and area.partition("/")[0] in _CONTINENTS:
            found.setdefault(city.lower(), []).append(zone)
    return {city: min(zones, key=lambda z: (-z.count("/"), z)) for city, zones in found.items()}


def _key(typed: str) -> str:
    """A zone's name as typed, compared as the tz database writes its names: lower case, `_` for spaces."""
    return "_".join(typed.strip().lower().split())


def zone_named(typed: str) -> str | None:
    """The zone a name typed loosely names for certain, or None: an IANA name in any case and with spaces
    (`america/new york`), the city of one zone (`berlin`, `New York`), or a city in one that names no
    zone (`Munich`). An abbreviation or an offset is not taken: `CEST` is summer time only."""
    low = _key(typed)
    if low in ABBREVIATIONS:  # `WEST` is Western European summer time, not Australia/West
        return None
    if (offset := _OFFSET.fullmatch(low)) is not None and not int(offset[2]) and not int(offset[3] or 0):
        return "UTC"  # `UTC+0`, `GMT-00:00`: no offset, no sign to invert
    city = _cities().get(low) if low not in _ELSEWHERE else None
    return zones_by_lower().get(low) or city or CITIES.get(low)


@functools.cache
def _countries() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each country by its name as `_key` writes it (`germany`, `united_states`, `britain`, `uk`), with the
    name to show and its zones, the ones most of its people live in first (the tz database's `iso3166.tab`
    and `zone.tab`, from the tzdata package; none where they are missing)."""
    folder = importlib.resources.files("tzdata").joinpath("zoneinfo")
    try:
        listed = folder.joinpath("iso3166.tab").read_text(encoding="utf-8")
        placed = folder.joinpath("zone.tab").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):
        return {}
    known, zones = zones_by_lower(), dict[str, list[str]]()
    for line in placed.splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) >= 3 and fields[2].lower() in known:
            zones.setdefault(fields[0], []).append(fields[2])
    shown, names = dict[str, str](), dict[str, str]()
    for line in listed.splitlines():
        code, _, name = line.partition("\t")
        if not line.startswith("#") and code in zones:
            shown[code] = name.strip()  # "Britain (UK)": britain (`uk` is in _COUNTRY_NAMES, not "(western)")
            names.setdefault(_key(re.sub(r"\s*\(.*\)", "", name).replace("&", "and")), code)
    names = {key: code for key, code in names.items() if key not in _NOT_COUNTRIES} | _COUNTRY_NAMES
    ordered = {
        code: tuple(dict.fromkeys((*_COUNTRY_ZONE.get(code, "").split(), *_COUNTRY_FIRST.get(code, ()), *zones[code])))
        for code in zones
    }
    return {key: (shown[code], ordered[code]) for key, code in names.items() if code in ordered}


@functools.cache
def _zone_file(zone: str) -> bytes:
    """A zone's file in the tz database (tzdata's): two names of one file are one zone (`Europe/Kiev` is
    `Europe/Kyiv`); b"" where it cannot be read."""
    try:
        return importlib.resources.files("tzdata").joinpath("zoneinfo", *zone.split("/")).read_bytes()
    except (OSError, ModuleNotFoundError, ValueError):
        return b""


def country_zones(typed: str) -> tuple[str, ...]:
    """The zones of the country a name typed names (`Germany`, `USA`, `uk`), most people's first; () for
    none."""
    return _countries().get(_key(typed), ("", ()))[1]


def names_a_country(typed: str) -> bool:
    """Whether the words are a country's name (`United Kingdom`, `USA`)."""
    return _key(typed) in _countries()


def zone_meant(typed: str) -> str | None:
    """The zone typed loosely (`zone_named`), or the one a country's name means (`Japan`, `UK`, `Germany`),
    or a city's followed by its country (`Berlin, Germany`, `Boston, USA`); None for anything else (`USA`
    has several: `zone_hint` names them)."""
    if _key(typed) not in _COUNTRY_NAMES and (zone := zone_named(typed)) is not None:
        return zone  # (`Samoa` is Pacific/Apia: the tz database's Pacific/Samoa is American Samoa, a day off)
    zones = country_zones(typed)
    if len(zones) == 1 or (zones and zones[0] in _COUNTRY_ZONE.values()):
        return zones[0]
    city, comma, country = typed.partition(",")
    if comma and (named := [z for z in country_zones(country) if _key(z.rpartition("/")[2]) == _key(city)]):
        return named[0]  # `La Paz, Bolivia`, `Cordoba, Argentina`: a city of two countries, told apart by its own
    zone = zone_named(city) if comma else None  # (`Kiev, Ukraine`: Europe/Kyiv, the same zone under its name there)
    only = country_zones(country) if comma and zone is None else ()
    if len(only) == 1 and (_key(city) in _ELSEWHERE or not names_a_city(city)):
        return only[0]  # `Lyon, France`, `San Juan, Puerto Rico`: a town no zone elsewhere names, in a one-zone country
    if zone is None or not (file := _zone_file(zone)):
        return None
    same = [z for z in country_zones(country) if _zone_file(z) == file]
    return (zone if zone in same else same[0]) if same else None


def names_a_city(typed: str) -> bool:
    """Whether the words are a zone's city (`New York`, `San Juan`), taken or not (`zone_named`)."""
    return _key(typed) in _cities()


def zone_hint(typed: str) -> str:
    """What to say after "unknown time zone": the zone an abbreviation or an offset means, else the one
    closest in spelling within the same area (`Europe/Berln`) or by its city (`Berln`); "" for none."""
    low = _key(typed)
    if low in ABBREVIATIONS:
        name, zone = ABBREVIATIONS[low]
        shown = typed.strip().upper()
        return f" {shown} is an abbreviation, not a zone: for {name} use {zone}."
    offset = _OFFSET.fullmatch(low)
    if offset is not None:
        sign, hours, minutes = offset.groups()
        if int(minutes or 0) or int(hours) > 14:
            return " For a fixed offset, use the zone of a city there (such as Asia/Kolkata for UTC+05:30)."
        fixed = meant_zone(typed)
        return (
            f" For UTC{sign}{int(hours)} all year use {fixed} (these names invert the sign); a city's zone,"
            " such as Europe/Berlin, also follows daylight saving."
        )
    if low in CITIES:
        return f" Did you mean {CITIES[low]}?"
    city, comma, country = typed.partition(",")
    # `Munich, Germany`; `Hong Kong, China`, `Cambridge, MA`: the city's, as the zone menu offers it
    if comma and (meant := zone_meant(typed) or zone_named(city)) is not None:
        return f" Did you mean {meant}?"
    country = country if comma else typed
    if names_a_country(country):  # `UK`, `Germany`, `USA`: one zone asked for, or its zones to pick from
        meant = zone_meant(country)
        return f" Did you mean {meant}?" if meant is not None else f" {_country_hint(country)}"
    if comma:
        return ""
    if low in _ELSEWHERE and low in _cities():
        said = " ".join(typed.replace("_", " ").split())
        return f" “{said}” names more places than {_cities()[low]}: type the zone meant, such as {_cities()[low]}."
    area, slash, city = low.rpartition("/")
    names = zones_by_lower()
    pool = [z for z in names if z.startswith(area + "/")] if slash else list(names)
    close = difflib.get_close_matches(low, pool, n=1, cutoff=0.8) if len(low) <= 64 else []
    if not close and not slash:
        cities = {z.rpartition("/")[2]: z for z in names if "/" in z}
        close = [cities[c] for c in difflib.get_close_matches(city, list(cities), n=1, cutoff=0.75)]
    return f" Did you mean {names[close[0]]}?" if close else ""


def _country_hint(typed: str) -> str:
    """The zones of a country of several, to pick from."""
    name, zones = _countries()[_key(typed)]
    shown = ", ".join(zones[:5]) + (f" (or {len(zones) - 5} more)" if len(zones) > 5 else "")
    return f"{name} has {len(zones)} zones: type the one of the city meant, such as {shown}."


def meant_zone(typed: str) -> str | None:
    """The zone an abbreviation (`PST`), a fixed offset (`UTC+2`: Etc/GMT-2, whose name inverts the sign)
    or a city that names no zone (`Delhi`) means; None for anything else."""
    low = _key(typed)
    if low in ABBREVIATIONS:
        return ABBREVIATIONS[low][1].split(" ")[0]
    if low in CITIES:
        return CITIES[low]
    offset = _OFFSET.fullmatch(low)
    if offset is None or int(offset.group(2)) > 14:
        return None
    sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
    if minutes:  # no Etc/ zone for these: the place that keeps them
        return _HALF_HOURS.get(f"{sign}{hours}:{minutes:02d}")
    return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}" if hours else "UTC"


@functools.cache
def _lived_in() -> frozenset[str]:
    """The zones most people of the places they name live in: offered first among those a name starts."""
    named = [zone.split(" ")[0] for _, zone in ABBREVIATIONS.values()] + list(CITIES.values())
    return frozenset((*named, *_COUNTRY_ZONE.values(), *(z for zones in _COUNTRY_FIRST.values() for z in zones)))


_ETC_OFFSET = re.compile(r"Etc/GMT([+-])(\d+)")


def _inverted(zone: str) -> bool:
    """Whether the zone is an `Etc/GMT±N` whose sign is the inverse of its offset (`Etc/GMT+3` is UTC-3)."""
    found = _ETC_OFFSET.fullmatch(zone)
    return found is not None and int(found.group(2)) != 0


def zone_label(zone: str) -> str:
    """The zone as a menu shows it: an `Etc/GMT±N` with the offset it means first (`UTC+3 (Etc/GMT-3)`)."""
    found = _ETC_OFFSET.fullmatch(zone)
    if found is None or int(found.group(2)) == 0:
        return zone
    return f"UTC{'-' if found.group(1) == '+' else '+'}{int(found.group(2))} ({zone})"


def zone_choices(typed: str, limit: int = ZONE_CHOICES) -> list[str]:
    """IANA zones for what is typed: the zone an abbreviation, offset or city means, then names or cities
    starting with it, containing it, then close spellings. An `Etc/GMT±N` name is offered only as what
    an offset means: spelled as typed, its sign is the inverse of the offset people mean."""
    query = _key(typed)
    zones = zone_names()
    if not query:
        return list(zones[:limit])
    if country := country_zones(typed):
        return list(country[:limit])  # `Germany`, `USA`: its zones, most people's first
    city, comma, place = typed.partition(",")
    if comma:  # `Berlin, Germany`: its city's; `Boston, MA`: Boston's, to pick or not
        there = zone_meant(typed) or zone_named(city)  # (`Kiev, Ukraine`: Europe/Kyiv, as it is taken)
        return [there] if there is not None else list(country_zones(place)[:limit]) or zone_choices(city, limit)
    meant = meant_zone(typed)
    zones = tuple(z for z in zones if not _inverted(z) or z == meant)  # `GMT`, `Etc` typed: not Etc/GMT+3
    lowered = [z.lower() for z in zones]
    starts = [
        z
        for z, low in zip(zones, lowered, strict=True)
        if low.startswith(query) or low.rpartition("/")[2].startswith(query)
    ]
    starts.sort(key=lambda zone: zone not in _lived_in())  # `america`: New York before America/Adak
    contains = [z for z, low in zip(zones, lowered, strict=True) if query in low and z not in starts]
    found = starts + contains
    if len(found) < limit:
        close = difflib.get_close_matches(query, lowered, n=5, cutoff=0.6)
        cities = {low.rpartition("/")[2]: z for z, low in zip(zones, lowered, strict=True)}
        close_cities = difflib.get_close_matches(query, list(cities), n=5, cutoff=0.6)
        extra = [zones[lowered.index(c)] for c in close] + [cities[c] for c in close_cities]
        found += [z for z in dict.fromkeys(extra) if z not in found]
    if meant is not None:
        found = [meant, *(z for z in found if z != meant)]
    return found[:limit]
