"""Demo contact list and crisis plan shared by the corps."""

from __future__ import annotations

from sqlmodel import Session

from service.audit.service import Actor
from service.corps import contacts

CONTACTS = [
    (
        "Psykiatrisk Akutmodtagelse",
        "Aarhus Universitetshospital",
        "psychiatric_emergency",
        "78 47 00 00",
        "",
        "Døgnåben. Ring før fremmøde.",
    ),
    (
        "Distriktspsykiatrien Aarhus C",
        "Region Midtjylland",
        "district_psychiatry",
        "78 47 10 00",
        "",
        "Hverdage 8-15.",
    ),
    ("Misbrugscenter Aarhus", "Aarhus Kommune", "addiction_centre", "89 40 46 00", "", ""),
    ("Boligsociale medarbejdere", "Gellerup", "housing", "", "bolig@example.dk", ""),
]

CRISIS_PLAN = """Ved akut fare: ring 112.

1. Bevar roen, tal roligt og hold afstand. Gå, hvis du føler dig truet.
2. Ved selvmordstanker: bliv hos borgeren og ring til Psykiatrisk Akutmodtagelse.
3. Kontakt koordinatoren samme dag, også uden for kontortid.
4. Skriv et notat i logbogen og aftal opfølgning med sagsbehandleren."""


def seed_contacts(session: Session, coordinator: Actor) -> None:
    """Add the shared contact list and the crisis plan."""
    for name, org, category, phone, email, notes in CONTACTS:
        contacts.create_contact(
            session,
            actor=coordinator,
            name=name,
            organisation=org,
            category=category,
            phone=phone,
            email=email,
            notes=notes,
        )
    contacts.save_crisis_plan(session, actor=coordinator, body=CRISIS_PLAN)
