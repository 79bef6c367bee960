"""The minutes of a meeting as plain data: what the web page, the DOCX and the PDF all show.

Built by `selectors.minutes_for` for one reader: the chair and the hub get every item, an agency
gets only the items about children it is involved with (F25, need to know). The documents are
drawn from this and nothing else, so no document can show more than its reader may see.
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MinutesAction:
    description: str
    owner: str  # "Sam Social (Brackenford Children's Social Care)"
    agency: str
    due_on: dt.date
    outcome: str  # the outcome the action should achieve
    status: str  # "Open", "Done", "Not possible: circumstances changed", "Not done"
    status_note: str = ""


@dataclass(frozen=True)
class MinutesItem:
    number: int
    heading: str  # the child's name and date of birth, or the topic
    reason: str  # why it was on the agenda: "New referral", "Due for review" …
    summary: list[str] = field(default_factory=list)  # the prepared summary, a line each
    discussion: str = ""
    decisions: list[str] = field(default_factory=list)  # "Sexual exploitation: medium (changed from low). Reason: …"
    pathway: str = ""  # "Section 47 enquiry to start"
    actions: list[MinutesAction] = field(default_factory=list)
    no_actions_reason: str = ""
    reviewed_actions: list[MinutesAction] = field(default_factory=list)  # earlier actions marked at this meeting


@dataclass(frozen=True)
class MinutesAttendance:
    agency: str
    status: str  # "Attended", "Sent apologies", "Did not attend", "Not recorded"
    attendees: str = ""
    information_sent: str = ""


@dataclass(frozen=True)
class Minutes:
    title: str  # "Brackenford exploitation meeting"
    kind: str  # "Exploitation meeting", "Strategy discussion (section 47)", "Review meeting"
    version: str  # "Decisions and actions" or "Full minutes"
    held_at: dt.datetime  # aware
    venue: str
    chair: str
    confidentiality: str
    reader: str  # "Brackenford Academy" or "All agencies (chair's copy)"
    prepared_at: dt.datetime  # aware
    attendance: list[MinutesAttendance] = field(default_factory=list)
    items: list[MinutesItem] = field(default_factory=list)
    items_withheld: int = 0  # items about children the reader's agency is not involved with
