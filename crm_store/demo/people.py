"""Who lives in the demo brokerage: the team, and clients with EN, RU and Cypriot names."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from crm_store.demo.names import (
    EN_FEMALE,
    EN_MALE,
    EN_SURNAMES,
    GR_FEMALE,
    GR_MALE,
    GR_SURNAMES,
    RU_FEMALE,
    RU_MALE,
    RU_SURNAMES,
)
from crm_store.demo.odds import Odds

TEAM = "Limassol Office"
TIMEZONE = "Asia/Nicosia"


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str
    language: str


# The named team every demo has (first the manager); evals and examples refer to them by name.
CORE_TEAM = (
    TeamMember("Sophia Christodoulou", "manager", "en"),
    TeamMember("Anna Georgiou", "broker", "en"),
    TeamMember("Dmitry Volkov", "broker", "ru"),
    TeamMember("Elena Sokolova", "broker", "ru"),
    TeamMember("Michael Andreou", "broker", "en"),
)

EMAIL_DOMAINS = {
    "ru": ("mail.ru", "yandex.ru", "gmail.com", "icloud.com"),
    "gr": ("cytanet.com.cy", "gmail.com", "outlook.com", "cablenet.com.cy"),
    "uk": ("gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com", "yahoo.co.uk"),
}
# Mobile prefixes that are in service (phonenumbers accepts every number under them).
RU_MOBILE = (
    "903",
    "905",
    "906",
    "909",
    "910",
    "915",
    "916",
    "917",
    "925",
    "926",
    "929",
    "965",
    "977",
    "985",
    "999",
)
UK_MOBILE = (
    "7712",
    "7723",
    "7734",
    "7747",
    "7766",
    "7788",
    "7799",
    "7811",
    "7825",
    "7841",
    "7854",
    "7867",
    "7875",
    "7880",
    "7890",
    "7903",
    "7920",
    "7930",
    "7946",
    "7958",
    "7969",
    "7970",
    "7984",
    "7990",
)
CLIENT_TAGS = ("investor", "relocation", "family", "retiree", "golden_visa", "vip", "holiday_home")
# Where clients come from (SPEC §2 sources), weighted as a Cyprus agency sees it.
SOURCES = ("portal", "referral", "website", "social", "call", "walk_in", "other")
SOURCE_ODDS = Odds(SOURCES, (30, 25, 15, 12, 8, 5, 5))


@dataclass(frozen=True)
class Person:
    full_name: str
    latin_name: str  # for the e-mail address
    origin: str  # ru | gr | uk
    language: str  # en | ru


@dataclass
class PeopleFactory:
    """Makes unique-looking clients: fresh phones and e-mails, names not taken by the team."""

    rng: random.Random
    reserved_names: set[str] = field(default_factory=set)
    _names: set[str] = field(default_factory=set)
    _phones: set[str] = field(default_factory=set)
    _emails: set[str] = field(default_factory=set)

    def person(self, origin: str, *, cyrillic: bool = False) -> Person:
        """A client of `origin`; tries a few times for a name no other contact has."""
        for _ in range(3):
            candidate = self._draw(origin, cyrillic)
            name = candidate.full_name
            if name not in self._names and name not in self.reserved_names:
                break
        while candidate.full_name in self.reserved_names:  # never a team member or seed client
            candidate = self._draw(origin, cyrillic)
        self._names.add(candidate.full_name)
        return candidate

    def _draw(self, origin: str, cyrillic: bool) -> Person:
        rng = self.rng
        female = rng.random() < 0.5
        if origin == "ru":
            first = rng.choice(RU_FEMALE if female else RU_MALE)
            last = rng.choice(RU_SURNAMES)
            suffix = ("a", "а") if female else ("", "")
            latin = f"{first[0]} {last[0]}{suffix[0]}"
            cyr = f"{first[1]} {last[1]}{suffix[1]}"
            return Person(cyr if cyrillic else latin, latin, "ru", "ru")
        if origin == "gr":
            first_name = rng.choice(GR_FEMALE if female else GR_MALE)
            name = f"{first_name} {rng.choice(GR_SURNAMES)}"
            return Person(name, name, "gr", "en")
        first_name = rng.choice(EN_FEMALE if female else EN_MALE)
        name = f"{first_name} {rng.choice(EN_SURNAMES)}"
        return Person(name, name, "uk", "en")

    def phones(self, origin: str) -> list[str]:
        """E.164 mobiles: Cypriot for locals, Russian/UK (often plus a Cypriot one) for others."""
        if origin == "gr":
            return [self._unique_phone("cy")]
        home = "ru" if origin == "ru" else "uk"
        roll = self.rng.random()
        if roll < 0.45:
            return [self._unique_phone("cy")]
        if roll < 0.75:
            return [self._unique_phone(home)]
        return [self._unique_phone("cy"), self._unique_phone(home)]

    def _unique_phone(self, country: str) -> str:
        rng = self.rng
        while True:
            if country == "cy":  # Cypriot mobiles: 94–97, 99
                number = f"+3579{rng.choice('45679')}{rng.randrange(10**6):06d}"
            elif country == "ru":
                number = f"+7{rng.choice(RU_MOBILE)}{rng.randrange(10**7):07d}"
            else:
                number = f"+44{rng.choice(UK_MOBILE)}{rng.randrange(10**6):06d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def emails(self, person: Person) -> list[str]:
        if self.rng.random() < 0.15:  # some clients only ever call or message
            return []
        first, _, last = person.latin_name.lower().partition(" ")
        style = self.rng.randrange(3)
        local = f"{first}.{last}" if style == 0 else f"{first[0]}{last}" if style == 1 else first
        domain = self.rng.choice(EMAIL_DOMAINS[person.origin])
        address = f"{local}@{domain}"
        while address in self._emails:
            address = f"{local}{self.rng.randrange(1, 990)}@{domain}"
        self._emails.add(address)
        return [address]

    def source(self) -> str:
        return SOURCE_ODDS.pick(self.rng)

    def tags(self, role: str) -> list[str]:
        extra = [self.rng.choice(CLIENT_TAGS)] if self.rng.random() < 0.35 else []
        return [role, *extra]


def extra_broker_names(rng: random.Random, count: int, taken: set[str]) -> list[TeamMember]:
    """More brokers for big demos, so each handles a realistic book (~100 listings)."""
    members: list[TeamMember] = []
    while len(members) < count:
        origin = rng.choice(("gr", "ru", "uk"))
        female = rng.random() < 0.5
        if origin == "ru":
            first = rng.choice(RU_FEMALE if female else RU_MALE)[0]
            name = f"{first} {rng.choice(RU_SURNAMES)[0]}{'a' if female else ''}"
        elif origin == "gr":
            name = f"{rng.choice(GR_FEMALE if female else GR_MALE)} {rng.choice(GR_SURNAMES)}"
        else:
            name = f"{rng.choice(EN_FEMALE if female else EN_MALE)} {rng.choice(EN_SURNAMES)}"
        if name in taken:
            continue
        taken.add(name)
        members.append(TeamMember(name, "broker", "ru" if origin == "ru" else "en"))
    return members
