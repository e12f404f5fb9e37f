"""Hand-built census and Annex A files with known answers, shared by the source, audit and
report tests. Every working-day count below was done by hand from the GOV.UK England and
Wales bank holidays (2-3 June 2022 jubilee, 19 September 2022 state funeral, 1 and 8 May
2023, 29 May 2023, Christmas 2023)."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

D = dt.datetime
HERE = Path(__file__).parent
FIXTURES = HERE.parent.parent / "shared" / "fixtures"
CENSUS_KNOWN = HERE / "data" / "sources" / "census_known.xml"

#: The day the workbook was made: the audit's default as-of date.
ANNEX_A_MADE = D(2023, 6, 9, 9, 30)

LIST5_HEADER = ["Child Unique ID", "Gender", "Date of Birth",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Was an Initial Child Protection Conference deemed unnecessary?",
                "Date of Initial Child Protection Conference",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                "Number of ICPCs in the last 12 months", "Allocated Team", "Allocated Worker"]
LIST5_ROWS = [
    # K1: 1 Jun -> 23 Jun 2022, 14 working days (jubilee 2-3 June skipped).
    [101, "b) Female", D(2015, 5, 5), D(2022, 6, 1), "b) No", D(2022, 6, 23), "a) Yes", 1,
     "Team North", "Ann\xa0Smith"],
    # K2: 31 Aug -> 22 Sep 2022, 15 working days (funeral 19 September skipped).
    [102, "a) Male", D(2018, 1, 1), D(2022, 8, 31), "No", D(2022, 9, 22), "Yes", 1,
     "Team North", "Bob Jones"],
    # K3: 26 Apr -> Mon 22 May 2023, 16 working days (1 and 8 May skipped); no plan.
    [103, "Female", D(2010, 3, 3), D(2023, 4, 26), "b) No", D(2023, 5, 22), "b) No", 1,
     "Team South", "Cat Brown"],
    # K4: no conference needed.
    [104, "Male", D(2011, 4, 4), D(2023, 5, 2), "a) Yes", None, "", 0, "Team South",
     "Cat Brown"],
    # K5: a broken row: #N/A, a formula, #N/A team.
    [105, "Male", D(2012, 12, 12), "#N/A", "No", "=H2+5", "Yes", 1, "#N/A", "Eve White"],
]
LIST7_HEADER = ["Child Unique ID", "Gender", "Date of Birth", "Child Protection Plan Start Date",
                "Initial Category of Abuse", "Latest Category of Abuse",
                "Date of the Last Statutory Visit", "Was the Child Seen Alone?",
                "Date of latest review conference", "Child Protection Plan End Date",
                "Number of Previous Child Protection Plans", "Allocated Team",
                "Allocated Worker"]
LIST7_ROWS = [
    # K1: last visit Wed 24 May 2023 + 10 working days (29 May skipped) = Thu 8 Jun: overdue
    # on 9 Jun.
    [101, "b) Female", D(2015, 5, 5), D(2022, 6, 23), "a) Neglect", "NEG", D(2023, 5, 24),
     "a) Yes", D(2023, 3, 20), None, 0, "Team North", "Ann Smith"],
    # K2: visit Fri 2 Jun -> due 16 Jun.
    [102, "a) Male", D(2018, 1, 1), D(2022, 9, 22), "Physical abuse", "Physical abuse",
     D(2023, 6, 2), "Yes", D(2023, 3, 14), None, 1, "Team North", "Bob Jones"],
    # K6: plan before birth, no pre-birth conference; visit 1 Jun -> due 15 Jun.
    [106, "b) Female", D(2023, 2, 10), D(2022, 12, 1), "EMO", "EMO", D(2023, 6, 1), "b) No",
     D(2023, 5, 30), None, 0, "Team South", "Cat Brown"],
    # K7: ended after more than two years; an impossible visit date.
    [107, "a) Male", D(2009, 9, 9), D(2021, 3, 1), "c) Emotional abuse", "Emotional abuse",
     "31/02/2023", "Yes", D(2023, 2, 27), D(2023, 5, 31), 2, "Team South", "Dan Green"],
    # K8: open for more than two years; visit 7 Jun -> due 21 Jun.
    [108, "a) Male", D(2017, 8, 8), D(2021, 1, 4), "NEG", "NEG", D(2023, 6, 7), "Y",
     D(2023, 1, 3), None, 0, "Team North", "Bob Jones"],
    # K9: no review at all: the first review (due 1 Feb 2023) is overdue.
    [109, "b) Female", D(2016, 6, 16), D(2022, 11, 1), "Neglect", "Neglect", D(2023, 6, 5),
     "Yes", None, None, 0, "Team South", "Cat Brown"],
    # K10: first review 1 Jun 2023, within three months of 15 Mar.
    [110, "b) Female", D(2019, 9, 19), D(2023, 3, 15), "SAB", "SAB", D(2023, 6, 8), "Yes",
     D(2023, 6, 1), None, 0, "Team North", "Ann Smith"],
]


def write_xlsx(path: Path) -> Path:
    """The known Annex A as a workbook (with an unrelated list in front)."""
    import openpyxl

    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "List 1"
    first.append(["Child Unique ID", "Gender"])
    first.append([999, "Male"])
    for title, header, rows in (("List 5", LIST5_HEADER, LIST5_ROWS),
                                ("List 7", LIST7_HEADER, LIST7_ROWS)):
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    wb.properties.created = ANNEX_A_MADE
    wb.save(path)
    return path


CSV_HEADERS = {
    5: ["Child ID", "Sex", "DOB", "Date of strategy discussion (S47 start)",
        "ICPC not required?", "ICPC date", "ICPC led to a plan?", "Number of ICPCs",
        "Team", "Social worker"],
    7: ["Child ID", "Sex", "DOB", "CP plan start date", "Initial category",
        "Latest category", "Last statutory visit date", "Seen alone?",
        "Latest review conference date", "CP plan end date", "Previous plans", "Team",
        "Social worker"],
}


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def write_csv_folder(folder: Path) -> Path:
    """The same Annex A as CSV files with other header spellings and UK dates."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, rows in ((5, LIST5_ROWS), (7, LIST7_ROWS)):
        path = folder / f"annex_a_list_{n}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle)
            w.writerow(CSV_HEADERS[n])
            w.writerows([_text(v) for v in row] for row in rows)
        stamp = dt.datetime(2023, 6, 9, 12, 0).timestamp()
        os.utime(path, (stamp, stamp))
    return folder
