"""Programme calendars of the bundled scenarios: terms, visit settings, availability, leave, closures.

Used by make_scenarios.py. Term dates:
- Spring and summer 2026 (knowsley-pathways only) are Liverpool City Council's published 2025/26 dates
  (shared/data/calendar/la_term_dates.csv). Knowsley's own published dates in that file stop at 2024/25,
  where they are identical to Liverpool's, so Liverpool's 2025/26 dates stand in for Knowsley's. The
  source gives the summer term as "Tuesday April 13" to "Tuesday July 20"; both dates are Mondays in
  2026, and the dates are used.
- 2026/27 (all three scenarios) is not yet published in that file: the dates follow the pattern of the
  published years (term starts on the first weekday of September after the August bank holiday; a
  one-week half-term in the last week of October, mid-February and the week of the spring bank holiday;
  Christmas break from the Friday before Christmas; the spring term ends the Thursday before Good Friday
  and the summer term starts two weeks later; the year ends in the third week of July). They are
  plausible, not official; replace them with the local authority's dates when published.
"""
import csv
import os

SPRING_SUMMER_2026 = """[[terms]]
name = "Spring 2026"
start = 2026-01-05
end = 2026-03-27
half_term_start = 2026-02-16
half_term_end = 2026-02-20

[[terms]]
name = "Summer 2026"
start = 2026-04-13
end = 2026-07-20
half_term_start = 2026-05-25
half_term_end = 2026-05-29

"""

YEAR_2026_27 = """[[terms]]
name = "Autumn 2026"
start = 2026-09-01
end = 2026-12-18
half_term_start = 2026-10-26
half_term_end = 2026-10-30

[[terms]]
name = "Spring 2027"
start = 2027-01-04
end = 2027-03-25
half_term_start = 2027-02-15
half_term_end = 2027-02-19

[[terms]]
name = "Summer 2027"
start = 2027-04-12
end = 2027-07-21
half_term_start = 2027-05-31
half_term_end = 2027-06-04

"""


def calendar_toml(terms_header, terms, extra_closures, extra_comment, min_gap_days, availability_note):
    return f"""
{terms_header}
{terms}[calendar]
bank_holidays = "england-and-wales"
extra_closures = [{extra_closures}]{extra_comment}

[visits]
day_start = "09:00"
day_end = "15:30"
half_days = true
morning_end = "12:00"
afternoon_start = "13:00"
min_gap_days = {min_gap_days}
max_days_per_week = 3                # {availability_note}
"""


KNOWSLEY_TOML = calendar_toml(
    "# Term dates: spring and summer 2026 are Liverpool's published 2025/26 dates (Knowsley's 2024/25\n"
    "# dates are identical to Liverpool's); 2026/27 follows the usual pattern and is not official.\n"
    "# The summer 2027 term runs past the programme's end (16 July); the programme dates win.",
    SPRING_SUMMER_2026 + YEAR_2026_27, "", "", 14,
    "advisers without a row in availability.csv")

ASPIRE_TOML = calendar_toml(
    "# 2026/27 term dates following the usual North West pattern (not yet published; not official).\n"
    "# The four local authorities' dates differ by a day or two at most; schools' own INSET days are in\n"
    "# closures.csv.",
    YEAR_2026_27, "", "", 10,
    "advisers without a row in availability.csv")

SIX_TOML = calendar_toml(
    "# 2026/27 term dates following St Helens' usual pattern (not yet published; not official).",
    YEAR_2026_27, "2027-01-04", "     # trust-wide INSET day: all six schools closed", 10,
    "every head has a row in availability.csv")

AVAILABILITY_COLS = ["adviser", "weekdays", "preferred_weekdays", "max_days_per_week"]
RANGE_COLS = ["start", "end", "reason"]

KS2_SATS = {2026: ("2026-05-11", "2026-05-14"), 2027: ("2027-05-10", "2027-05-13")}

KNOWSLEY_AVAILABILITY = [
    # trust CEO: three days in the office pattern, two of them free for visits
    ("A01", "mon;wed;fri", "wed", 2),
    ("A02", "tue;thu", "thu", 2),          # serving headteacher: two days a week away from school
    ("A03", "mon;tue;wed;thu;fri", "tue;wed", 3),   # former HMI
    ("A04", "mon;tue;wed;thu;fri", "", 3),  # Ofsted inspector
    ("A05", "mon;wed", "", 2),              # serving headteacher (secondary)
    ("A06", "tue;wed;thu", "wed", 2),       # executive headteacher
    ("A07", "tue;thu", "tue", 2),           # serving headteacher, English hub lead
    ("A08", "mon;tue;wed;thu;fri", "", 4),  # former HMI
    ("A09", "mon;tue;wed;thu", "mon", 3),   # trust director of inclusion
    ("A10", "wed;thu", "", 2),              # serving headteacher (secondary)
    ("A11", "mon;tue;wed;thu;fri", "mon;fri", 3),   # Ofsted inspector, former head
    ("A12", "mon;fri", "mon", 2),           # serving headteacher (primary)
]

KNOWSLEY_LEAVE = [
    ("A01", "2026-03-09", "2026-03-10", "trust board residential"),
    ("A08", "2026-10-05", "2026-10-16", "planned surgery"),
    ("A11", "2026-09-14", "2026-09-18", "Ofsted inspector training"),
    ("A04", "2027-02-01", "2027-02-05", "leading an inspection team elsewhere"),
    ("A03", "2026-06-15", "2026-06-19", "annual leave"),
    ("A07", "2027-03-15", "2027-03-19", "English hub national conference"),
]

# (school, start, end, reason) beyond the KS2 SATs weeks, which every primary gets
KNOWSLEY_CLOSURES = [
    ("104429", "2026-01-05", "2026-01-05", "INSET day"),
    ("104446", "2026-01-05", "2026-01-05", "INSET day"),
    ("140001", "2026-01-05", "2026-01-06", "INSET days"),
    ("135479", "2026-04-13", "2026-04-13", "INSET day"),
    ("104441", "2026-06-29", "2026-06-29", "INSET day"),
    ("139614", "2026-09-01", "2026-09-02", "INSET days"),
    ("142798", "2026-09-01", "2026-09-01", "INSET day"),
    ("144355", "2026-09-01", "2026-09-02", "INSET days"),
    ("104466", "2026-09-01", "2026-09-01", "INSET day"),
    ("136222", "2026-11-10", "2026-11-11", "Ofsted inspection (notified)"),
    ("143457", "2027-01-04", "2027-01-04", "INSET day"),
    ("104425", "2027-02-22", "2027-02-22", "INSET day"),
    ("148534", "2027-01-11", "2027-01-15", "Year 11 mock examinations"),
]

ASPIRE_AVAILABILITY = [
    ("H01", "tue;thu", "thu", 2),           # headteachers: two days a week
    ("H02", "mon;wed", "", 2),
    ("H03", "mon;tue;wed", "tue", 2),       # deputies: three days, at most two of them
    ("H04", "wed;fri", "wed", 2),
    ("H05", "tue;thu", "", 2),
    ("H06", "mon;wed;thu", "", 2),
    ("H07", "tue;fri", "tue", 2),
    ("H08", "wed;thu", "", 2),
    ("H09", "mon;thu", "thu", 2),
    ("H10", "tue;wed;fri", "", 2),
]

ASPIRE_LEAVE = [
    ("H07", "2026-11-19", "2026-11-20", "headteachers' conference"),
    ("H03", "2027-03-01", "2027-03-12", "family leave"),
    ("H10", "2027-06-07", "2027-06-11", "exam board moderation"),
]

ASPIRE_CLOSURES = [
    ("143773", "2026-09-01", "2026-09-02", "INSET days"),
    ("139368", "2026-09-01", "2026-09-01", "INSET day"),
    ("104829", "2026-09-01", "2026-09-01", "INSET day"),
    ("147267", "2026-09-01", "2026-09-02", "INSET days"),
    ("148095", "2026-11-02", "2026-11-02", "INSET day"),
    ("104784", "2027-01-04", "2027-01-04", "INSET day"),
    ("143772", "2027-01-11", "2027-01-15", "Year 11 mock examinations"),
    ("138399", "2027-03-09", "2027-03-10", "Ofsted inspection (notified)"),
    ("130259", "2027-06-07", "2027-06-07", "INSET day"),
]

SIX_AVAILABILITY = [
    ("T1", "mon;wed", "wed", 1),
    ("T2", "tue;thu", "", 1),
    ("T3", "wed;fri", "wed", 1),
    ("T4", "mon;thu", "", 1),
    ("T5", "tue;fri", "tue", 1),
    ("T6", "wed;thu", "thu", 1),
]

SIX_LEAVE = [
    ("T2", "2026-11-12", "2026-11-13", "NPQH residential"),
    ("T5", "2027-06-14", "2027-06-18", "Year 6 residential trip"),
    ("T4", "2027-03-01", "2027-03-05", "annual leave"),
]

SIX_CLOSURES = [
    ("104761", "2026-09-01", "2026-09-02", "INSET days"),
    ("104773", "2026-09-01", "2026-09-01", "INSET day"),
    ("104783", "2026-09-01", "2026-09-01", "INSET day"),
    ("134661", "2026-09-01", "2026-09-02", "INSET days"),
    ("104769", "2026-09-01", "2026-09-01", "INSET day"),
    ("104772", "2026-09-01", "2026-09-01", "INSET day"),
    ("104783", "2026-11-30", "2026-11-30", "INSET day"),
    ("134661", "2027-03-02", "2027-03-03", "Ofsted inspection (notified)"),
    ("104769", "2027-06-25", "2027-06-25", "INSET day"),
]


def write_calendar_files(out, schools, availability, leave, closures, sats_years):
    """Writes availability.csv, leave.csv and closures.csv; closures get every primary's KS2 SATs week."""
    def write(name, header, rows):
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write("availability.csv", AVAILABILITY_COLS, availability)
    write("leave.csv", ["adviser"] + RANGE_COLS, leave)
    rows = list(closures)
    for s in schools:
        if s["phase"] == "primary":
            for year in sats_years:
                start, end = KS2_SATS[year]
                rows.append((s["id"], start, end, "KS2 SATs week"))
    rows.sort(key=lambda r: (r[1], r[0]))
    write("closures.csv", ["school"] + RANGE_COLS, rows)
