"""DfE census rule 8890 in an SSD extract: one section 47 enquiry at a time for each child."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from convene.conferences.convening.rules import EnquiryFacts, enquiry_open_on

from .validation import EnquiryRecord, Extract, InitialConferenceRecord


def enquiry_clashes(extract: Extract) -> Iterator[tuple[int, str]]:
    """(line, reason) for each enquiry in ssd_s47_enquiry.csv that starts while another of the
    child's is ongoing: until its initial conference is held (that day included) or, with none
    held, for good unless it ended with no conference needed (the rule Convene applies when a
    strategy discussion is recorded, `convening.rules.enquiry_open_on`). Checked within the
    extract; enquiries already in Convene were checked when they were recorded."""
    icpcs: dict[str, list[InitialConferenceRecord]] = {}
    for icpc in extract.initial_conferences.values():
        if icpc.enquiry_id and not icpc.transfer_in:
            icpcs.setdefault(icpc.enquiry_id, []).append(icpc)
    by_person: dict[str, list[tuple[EnquiryRecord, EnquiryFacts]]] = {}
    for record in extract.enquiries.values():
        started = record.values.get("strategy_discussion_date")
        if not isinstance(started, date) or not record.person_id:
            continue
        ended = record.values.get("end_date")
        held = [c.held_on for c in icpcs.get(record.ssd_id, []) if c.held_on is not None]
        facts = EnquiryFacts(
            started=started,
            ended=ended if isinstance(ended, date) else None,
            conference_not_required=bool(record.values.get("conference_not_required")),
            conference_held_on=min(held, default=None),
            conference_planned=record.ssd_id in icpcs,
        )
        by_person.setdefault(record.person_id, []).append((record, facts))
    for enquiries in by_person.values():
        enquiries.sort(key=lambda pair: (pair[1].started, pair[0].line))
        for n, (record, facts) in enumerate(enquiries):
            # Everything the extract records has happened: known as at the end of time.
            clash = next(
                (
                    (other, known)
                    for other, known in enquiries[:n]
                    if enquiry_open_on(known, facts.started, today=date.max)
                ),
                None,
            )
            if clash is not None:
                other, known = clash
                yield (
                    record.line,
                    f"the enquiry starts while the enquiry on line {other.line}, from "
                    f"{known.started:%Y-%m-%d}, is still open (DfE census rule 8890): give that "
                    "one an end date or its initial conference",
                )
