#!/usr/bin/env python3
"""Generate the bundled example scenarios (knowsley-pathways, aspire-hub, six-school-trust).

Deterministic: the only randomness is random.Random with a fixed seed per scenario, and the
coordinate jitter is derived from a hash of the school URN. Run from anywhere:

    python3 scenarios/tools/make_scenarios.py [path/to/target_las_schools_extract.csv]

School URNs, names, local authorities, % free school meals and (where the extract has them) pupil
numbers come from the DfE extract (Open Government Licence v3). Everything else - trusts, inspection
grades, needs, advisers, coordinates, missing pupil numbers - is invented or approximate.
"""
import csv
import hashlib
import math
import os
import random
import sys

from calendar_data import (ASPIRE_AVAILABILITY, ASPIRE_CLOSURES, ASPIRE_LEAVE, ASPIRE_TOML,
                           KNOWSLEY_AVAILABILITY, KNOWSLEY_CLOSURES, KNOWSLEY_LEAVE, KNOWSLEY_TOML,
                           SIX_AVAILABILITY, SIX_CLOSURES, SIX_LEAVE, SIX_TOML, write_calendar_files)

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.dirname(HERE)
DEFAULT_EXTRACT = os.path.join(SCEN, "..", "..", "shared", "data", "schools",
                               "target_las_schools_extract.csv")

WEIGHTS = """[weights]
expertise = 10
disadvantage = 1.0
continuity = 200
travel = 0.05
unmet_penalty = 10000
"""

# Approximate centres (WGS84) of the postcode sectors / districts used. Hand-placed, not geocoded.
ANCHORS = {
    # Knowsley
    "L36": (53.410, -2.840),   # Huyton
    "L14": (53.418, -2.862),   # Page Moss, edge of Huyton
    "L28": (53.420, -2.870),   # Stockbridge Village
    "L32": (53.480, -2.890),   # Kirkby
    "L33": (53.490, -2.878),   # Kirkby north (Northwood, Tower Hill)
    "L34": (53.430, -2.800),   # Prescot
    "L35": (53.410, -2.800),   # Whiston
    "L26": (53.360, -2.830),   # Halewood
    # Bolton
    "BL6 6": (53.600, -2.545),  # Horwich
    "BL6 7": (53.605, -2.560),  # Horwich north / Blackrod
    "BL4 0": (53.545, -2.405),  # Farnworth
    "BL3 3": (53.563, -2.440),  # Great Lever
    "BL3 1": (53.562, -2.372),  # Little Lever
    # Halton
    "WA8 7": (53.370, -2.760),  # Widnes (Ditton, Hough Green)
    "WA7 2": (53.330, -2.695),  # Runcorn (Palace Fields)
    # Liverpool
    "L25 5": (53.375, -2.870),  # Woolton
    "L15 6": (53.398, -2.905),  # Childwall / Wavertree
    # St Helens
    "WA10 6": (53.462, -2.755),  # Windle, Dentons Green
    "WA10 5": (53.450, -2.775),  # Eccleston
    "WA9 1": (53.452, -2.718),   # Parr
    "WA9 2": (53.460, -2.705),   # Parr north
    "WA9 3": (53.437, -2.715),   # Sutton
    "WA9 4": (53.425, -2.715),   # Sutton Manor, Clock Face
    "WA9 5": (53.435, -2.748),   # Thatto Heath
    "WA11 7": (53.482, -2.718),  # Carr Mill
}


def anchor(postcode):
    out, sector = postcode.split()
    key = f"{out} {sector[0]}"
    if key in ANCHORS:
        return ANCHORS[key], 0.004
    return ANCHORS[out], 0.008


def jitter(urn, spread):
    h = hashlib.md5(str(urn).encode()).digest()
    a = (h[0] / 255.0) * 2 - 1
    b = (h[1] / 255.0) * 2 - 1
    return a * spread, b * spread * 1.6   # a degree of longitude is shorter than one of latitude


def coords(urn, postcode):
    (lat, lon), spread = anchor(postcode)
    dlat, dlon = jitter(urn, spread)
    return round(lat + dlat, 4), round(lon + dlon, 4)


def est_pupils(urn, phase):
    h = int(hashlib.md5(("pupils" + str(urn)).encode()).hexdigest(), 16)
    if phase == "primary":
        return 190 + h % 271          # 190..460
    return 850 + h % 551              # 850..1400


def load_extract(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {r["urn"]: r for r in csv.DictReader(f)}


def minutes(lat1, lon1, lat2, lon2, road_factor=1.3, speed=40.0):
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * r * math.asin(math.sqrt(a))
    return km * road_factor / speed * 60


def make_schools(ext, spec):
    """spec rows: (urn, phase, trust, grade). Returns list of dicts in the schools.csv layout."""
    rows, estimated = [], []
    for urn, phase, trust, grade in spec:
        e = ext[urn]
        fsm = e["fsm_pct_2022_23"]
        float(fsm)  # must be numeric: fails loudly on z/x/c
        if e["rsa_number_of_pupils"]:
            pupils = int(e["rsa_number_of_pupils"])
        else:
            pupils = est_pupils(urn, phase)
            estimated.append(urn)
        lat, lon = coords(urn, e["postcode"])
        rows.append({
            "id": urn, "name": e["school_name"], "phase": phase,
            "local_authority": e["la_name"].replace("St. Helens", "St Helens"),
            "trust": trust, "pupils": pupils, "disadvantaged_pct": fsm,
            "inspection_grade": grade, "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}",
        })
    return rows, estimated


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in header})


SCHOOL_COLS = ["id", "name", "phase", "local_authority", "trust", "pupils", "disadvantaged_pct",
               "inspection_grade", "latitude", "longitude"]
ADVISER_COLS = ["id", "name", "role", "home_latitude", "home_longitude", "phases", "expertise",
                "capacity_days", "max_schools", "day_rate", "employer_trust", "employer_la",
                "home_school"]
NEED_COLS = ["school", "area", "days", "priority"]
ROSTER_COLS = ["adviser", "school", "role"]


def adviser_rows(spec):
    rows = []
    for (aid, name, role, lat, lon, phases, expertise, cap, maxs, rate, etrust, ela, home) in spec:
        rows.append({
            "id": aid, "name": name, "role": role,
            "home_latitude": f"{lat:.4f}", "home_longitude": f"{lon:.4f}",
            "phases": phases, "expertise": expertise, "capacity_days": cap,
            "max_schools": maxs, "day_rate": rate, "employer_trust": etrust,
            "employer_la": ela, "home_school": home,
        })
    return rows


def fmt_days(x):
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def pick_needs(rng, schools, first, pools, days_first, days_other, n_other, prio_first, prio_other,
               forced=None):
    """first: area every school needs (or None). pools[phase] = candidate areas for the others.
    forced: {school id: [areas]} that school certainly needs (counted among the others)."""
    needs = []
    for s in schools:
        fsm = float(s["disadvantaged_pct"])
        grade = int(s["inspection_grade"]) if s["inspection_grade"] else 0
        areas = []
        if first:
            areas.append((first, days_first(rng, s, fsm, grade), prio_first(rng, s, fsm, grade)))
        pool = [a for a in pools[s["phase"]] if a != first]
        k = n_other(rng, s, fsm, grade)
        chosen = list((forced or {}).get(s["id"], []))
        if grade >= 3 and "leadership" not in chosen and "leadership" in pool:
            chosen.append("leadership")
        while len(chosen) < k:
            a = rng.choice(pool)
            if a not in chosen:
                chosen.append(a)
        for a in chosen:
            areas.append((a, days_other(rng, s, fsm, grade), prio_other(rng, s, fsm, grade, a)))
        for a, d, p in areas:
            needs.append({"school": s["id"], "area": a, "days": fmt_days(d), "priority": p})
    return needs


def budget_for(needs, schools, lead_days, advisers, margin):
    days = sum(float(n["days"]) for n in needs) + lead_days * len(schools)
    avg = sum(float(a["day_rate"]) for a in advisers) / len(advisers)
    return int(round(days * avg * margin / 5000.0)) * 5000


# ---------------------------------------------------------------------------------------------
# 1. knowsley-pathways
# ---------------------------------------------------------------------------------------------

HORIZONS = "Knowsley Horizons Academy Trust"      # invented
BRIGHTWATER = "Brightwater Learning Trust"         # invented, St Helens-based, two Knowsley schools
MERSEY_BEACON = "Mersey Beacon CofE Academy Trust"  # invented
OUR_LADY = "Our Lady of Hope Catholic Academy Trust"  # invented

KNOWSLEY_SCHOOLS = [
    # urn, phase, trust (academies only), invented inspection grade
    # secondaries (phase from the extract's statutory age range 11-16/11-18)
    ("135479", "secondary", "", "2"),            # All Saints Catholic High (voluntary aided)
    ("139614", "secondary", HORIZONS, "2"),       # Halewood Academy (academy converter)
    ("140001", "secondary", HORIZONS, "3"),       # Kirkby High (academy sponsor led)
    ("140412", "secondary", HORIZONS, "3"),       # Lord Derby Academy (academy sponsor led)
    ("148534", "secondary", OUR_LADY, ""),        # Saint Edmund Arrowsmith (sponsor led, 2021)
    ("142798", "secondary", BRIGHTWATER, "2"),    # The Prescot School (academy converter)
    # primaries (phase from the name); trust only where the name says Academy
    ("144355", "primary", "", "2"),   # Blacklow Brow, Huyton
    ("135796", "primary", "", "3"),   # Hope Primary, Page Moss
    ("145435", "primary", "", "2"),   # Huyton With Roby CofE
    ("141205", "primary", "", "2"),   # Knowsley Lane
    ("104420", "primary", "", "3"),   # Roby Park
    ("143878", "primary", HORIZONS, "2"),  # Sylvester Primary Academy
    ("146848", "primary", "", "2"),   # Willow Tree, Huyton
    ("104448", "primary", "", "1"),   # Kirkby CofE
    ("104432", "primary", "", "2"),   # Millbrook
    ("135807", "primary", "", "3"),   # Northwood (designated special provision)
    ("104429", "primary", "", "2"),   # Park Brow
    ("104466", "primary", "", "3"),   # St Marie's Catholic
    ("104431", "primary", "", "4"),   # Westvale
    ("104446", "primary", "", "2"),   # Evelyn Community Primary, Prescot
    ("104459", "primary", "", "1"),   # Our Lady's Catholic, Prescot
    ("104425", "primary", "", "2"),   # Prescot Primary
    ("144105", "primary", "", "2"),   # Halsnead, Whiston
    ("145613", "primary", BRIGHTWATER, "2"),   # Whiston Willis Primary Academy
    ("146115", "primary", HORIZONS, ""),       # Yew Tree Primary Academy, Halewood
    ("143457", "primary", MERSEY_BEACON, "2"),  # Halewood CofE Primary Academy
    ("104441", "primary", "", "2"),   # Plantation, Halewood
    ("136222", "primary", "", "3"),   # Stockbridge Village Primary
    ("104467", "primary", "", "2"),   # St Albert's Catholic, Stockbridge Village
]

KNOWSLEY_ADVISERS = [
    # id, name, role, lat, lon, phases, expertise, capacity, max_schools, day_rate,
    # employer_trust, employer_la, home_school
    ("A01", "Dr Helen Ashworth", "trust CEO", 53.5450, -2.6320, "primary;secondary",
     "leadership:3;governance:3;finance:2;curriculum:2;literacy:1", 28, 4, 750,
     "Douglas Valley Learning Trust", "Wigan", ""),
    ("A02", "Mark Fairclough", "serving headteacher (primary)", 53.3900, -2.6400, "primary",
     "literacy:3;early-years:2;assessment:2", 36, 4, 500, "", "Warrington", ""),
    ("A03", "Siobhan Kelly", "former HMI", 53.4900, -3.0200, "primary;secondary",
     "literacy:3;leadership:3;curriculum:3;safeguarding:2", 38, 5, 700, "", "", ""),
    ("A04", "Rajesh Patel", "Ofsted inspector", 53.5670, -2.8850, "primary;secondary",
     "maths:3;assessment:3;pedagogy:2;literacy:1", 34, 4, 600, "", "", ""),
    ("A05", "Claire Whitfield", "serving headteacher (secondary)", 53.3500, -3.0000, "secondary",
     "literacy:2;pedagogy:3;behaviour:2;curriculum:2", 28, 3, 550, "", "Wirral", ""),
    ("A06", "Gareth Hughes", "executive headteacher (primary)", 53.2800, -2.9000, "primary",
     "literacy:3;send:2;curriculum:2;early-years:1", 38, 4, 550, "", "Cheshire West and Chester", ""),
    ("A07", "Joanne Milburn", "serving headteacher (primary), English hub lead", 53.4200, -2.7600,
     "primary", "literacy:3;early-years:3;leadership:2", 36, 5, 500,
     BRIGHTWATER, "St Helens", ""),
    ("A08", "Andrew Bryce", "former HMI", 53.5100, -2.9400, "primary;secondary",
     "leadership:3;safeguarding:3;governance:2;attendance:2", 32, 5, 700, "", "", ""),
    ("A09", "Fiona McCarthy", "trust director of inclusion", 53.3700, -2.9000, "primary;secondary",
     "send:3;behaviour:3;attendance:2;literacy:1", 36, 5, 600,
     "Sefton Park Learning Partnership", "Liverpool", ""),
    ("A10", "David Okafor", "serving headteacher (secondary)", 53.4100, -2.5600, "secondary",
     "leadership:3;attendance:3;assessment:2;literacy:2", 26, 3, 550, "", "Warrington", ""),
    ("A11", "Rachel Thornton", "Ofsted inspector, former primary headteacher", 53.4900, -2.6400,
     "primary", "literacy:3;pedagogy:2;early-years:2;maths:1", 38, 5, 600, "", "Wigan", ""),
    ("A12", "Sarah Lomax", "serving headteacher (primary)", 53.3700, -2.7400, "primary",
     "curriculum:3;literacy:2;maths:2;leadership:2", 34, 4, 450, "", "Halton", ""),
]

KNOWSLEY_ROSTER = [
    ("A03", "140001", "lead"),        # Siobhan Kelly, Kirkby High
    ("A07", "104466", "lead"),        # Joanne Milburn, St Marie's
    ("A11", "104431", "lead"),        # Rachel Thornton, Westvale
    ("A09", "135807", "specialist"),  # Fiona McCarthy, Northwood (SEND)
    ("A12", "135796", "lead"),        # Sarah Lomax, Hope Primary
]


def write_manifest(out, name, description, start, end, budget, independence, calendar_toml, roster=False):
    """scenario.toml: the parts every bundled scenario shares, with what differs passed in."""
    budget_line = f"budget = {budget}\n" if budget is not None else ""
    roster_line = 'roster = "roster.csv"\n' if roster else ""
    with open(os.path.join(out, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f"""[programme]
name = "{name}"
description = "{description}"
start = {start}
end = {end}
{budget_line}
[files]
schools = "schools.csv"
advisers = "advisers.csv"
needs = "needs.csv"
{roster_line}availability = "availability.csv"
leave = "leave.csv"
closures = "closures.csv"

[rules]
independence = "{independence}"
require_lead = true
lead_days = 2
max_travel_minutes = 60
working_day_hours = 7.5

[travel]
road_factor = 1.3
average_speed_kmh = 40

{WEIGHTS}{calendar_toml}""")



def knowsley(ext, out):
    rng = random.Random(20260105)
    schools, est = make_schools(ext, KNOWSLEY_SCHOOLS)
    pools = {
        "primary": ["maths", "maths", "early-years", "early-years", "send", "curriculum",
                    "assessment", "attendance", "pedagogy", "leadership"],
        "secondary": ["attendance", "attendance", "behaviour", "curriculum", "assessment", "send",
                      "pedagogy", "safeguarding", "leadership"],
    }

    def days_first(rng, s, fsm, grade):
        base = 6 if s["phase"] == "secondary" else 4
        extra = rng.choice([0, 0.5, 1, 1, 1.5, 2, 2.5]) + (1 if fsm >= 50 else 0) \
            + (1 if grade >= 3 else 0)
        return min(10, base + extra)

    def prio_first(rng, s, fsm, grade):
        return 3 if (fsm >= 45 or grade >= 3) else 2

    def n_other(rng, s, fsm, grade):
        return 2 if (grade >= 3 or fsm >= 55 or rng.random() < 0.15) else 1

    def days_other(rng, s, fsm, grade):
        return rng.choice([2, 2, 2.5, 3, 3, 3.5, 4, 5])

    def prio_other(rng, s, fsm, grade, area):
        if area == "leadership" and grade >= 3:
            return 3
        return rng.choices([1, 2, 3], weights=[4, 4, 2])[0]

    # Northwood has designated special provision: it certainly has a SEND need (and a roster
    # specialist for it)
    needs = pick_needs(rng, schools, "literacy", pools, days_first, days_other, n_other,
                       prio_first, prio_other, forced={"135807": ["send"]})
    advisers = adviser_rows(KNOWSLEY_ADVISERS)
    budget = budget_for(needs, schools, 2, advisers, 1.12)
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "schools.csv"), SCHOOL_COLS, schools)
    write_csv(os.path.join(out, "advisers.csv"), ADVISER_COLS, advisers)
    write_csv(os.path.join(out, "needs.csv"), NEED_COLS, needs)
    write_csv(os.path.join(out, "roster.csv"), ROSTER_COLS,
              [dict(zip(ROSTER_COLS, r)) for r in KNOWSLEY_ROSTER])
    write_manifest(out, "Knowsley Pathways",
                   "18-month literacy-led school improvement programme for 29 Knowsley primary and secondary schools, supported by 12 advisers from outside the local authority",
                   "2026-01-05", "2027-07-16", budget, "local-authority", KNOWSLEY_TOML, roster=True)
    write_calendar_files(out, schools, KNOWSLEY_AVAILABILITY, KNOWSLEY_LEAVE, KNOWSLEY_CLOSURES, [2026, 2027])
    return est, budget


# ---------------------------------------------------------------------------------------------
# 2. aspire-hub
# ---------------------------------------------------------------------------------------------

CROAL = "Croal Valley Learning Trust"      # invented, Bolton
ESTUARY = "Estuary Learning Trust"         # invented, Halton and south Liverpool

ASPIRE_SCHOOLS = [
    # Croal Valley Learning Trust (Bolton), 7
    ("143773", "secondary", CROAL, "2"),   # Rivington and Blackrod High School, Horwich
    ("143772", "secondary", CROAL, "3"),   # Harper Green School, Farnworth
    ("148095", "primary", CROAL, "2"),     # Chorley New Road Primary Academy, Horwich
    ("138399", "primary", CROAL, "3"),     # The Ferns Primary Academy, Farnworth
    ("136395", "primary", CROAL, "2"),     # Lever Edge Primary Academy, Great Lever
    ("143031", "primary", CROAL, "2"),     # Masefield Primary School, Little Lever
    ("142030", "primary", CROAL, "3"),     # Bowness Primary School, Little Lever
    # Estuary Learning Trust (Halton, Liverpool), 6
    ("139368", "secondary", ESTUARY, "2"),  # Wade Deacon High School, Widnes
    ("138787", "secondary", ESTUARY, "3"),  # Childwall Sports & Science Academy, Liverpool
    ("147267", "primary", ESTUARY, "3"),    # Kingsway Primary Academy School, Widnes
    ("147266", "primary", ESTUARY, "2"),    # Ditton Primary School, Widnes
    ("143768", "primary", ESTUARY, "2"),    # Palace Fields Primary Academy, Runcorn
    ("136813", "primary", ESTUARY, "1"),    # Woolton Primary School, Liverpool
    # St Helens maintained schools, 6
    ("104829", "secondary", "", "2"),       # Cowley International College
    ("104784", "primary", "", "3"),         # Merton Bank Primary School
    ("104763", "primary", "", "2"),         # Thatto Heath Community Primary School
    ("104764", "primary", "", "2"),         # Sutton Manor Community Primary School
    ("130259", "primary", "", "3"),         # Broad Oak Community Primary School
    ("104758", "primary", "", "2"),         # Allanson Street Primary School
]


def school_coords(ext, urn):
    return coords(urn, ext[urn]["postcode"])


def aspire_advisers(ext):
    c = lambda u: school_coords(ext, u)
    spec = [
        ("H01", "Karen Whittaker", "headteacher, Rivington and Blackrod High School", *c("143773"),
         "secondary", "leadership:3;curriculum:3;assessment:2;pedagogy:2;literacy:1", 18, 3, 450, CROAL, "Bolton", "143773"),
        ("H02", "Imran Siddiqui", "headteacher, Chorley New Road Primary Academy", *c("148095"),
         "primary", "maths:3;assessment:2;leadership:2;curriculum:2;safeguarding:1", 18, 3, 400, CROAL, "Bolton", "148095"),
        ("H03", "Lucy Entwistle", "deputy headteacher, Harper Green School", *c("143772"),
         "secondary", "attendance:3;behaviour:3;safeguarding:2;send:1", 20, 3, 350, CROAL, "Bolton", ""),
        ("H04", "Paul Gerrard", "headteacher, Wade Deacon High School", *c("139368"),
         "secondary", "leadership:3;attendance:2;pedagogy:2;literacy:2;curriculum:2", 18, 3, 450,
         ESTUARY, "Halton", "139368"),
        ("H05", "Nadia Boateng", "headteacher, Kingsway Primary Academy School", *c("147267"),
         "primary", "early-years:3;literacy:3;send:2;safeguarding:2", 18, 4, 400, ESTUARY, "Halton", "147267"),
        ("H06", "Tom Rimmer", "deputy headteacher, Woolton Primary School", *c("136813"),
         "primary", "maths:3;curriculum:2;pedagogy:2;assessment:2", 20, 3, 350, ESTUARY, "Liverpool", ""),
        ("H07", "Angela Moss", "headteacher, Cowley International College", *c("104829"),
         "secondary;primary", "curriculum:3;leadership:3;governance:2;maths:2;pedagogy:2", 20, 4, 450,
         "", "St Helens", "104829"),
        ("H08", "Gary Prescott", "headteacher, Merton Bank Primary School", *c("104784"),
         "primary", "literacy:3;attendance:2;send:2;assessment:2;safeguarding:2", 20, 4, 400, "", "St Helens", "104784"),
        ("H09", "Beverley Owens", "headteacher, Thatto Heath Community Primary School", *c("104763"),
         "primary", "early-years:3;safeguarding:3;leadership:2;literacy:2;curriculum:1", 20, 4, 400,
         "", "St Helens", "104763"),
        # deputy of a St Helens maintained secondary that is not itself in this programme
        ("H10", "Chris Halliwell", "deputy headteacher, St Cuthbert's Catholic High School",
         53.4380, -2.7120, "secondary", "assessment:3;maths:2;send:2;literacy:2", 20, 4, 350,
         "", "St Helens", ""),
    ]
    return adviser_rows(spec)


def aspire(ext, out):
    rng = random.Random(20260901)
    schools, est = make_schools(ext, ASPIRE_SCHOOLS)
    pools = {
        "primary": ["literacy", "literacy", "maths", "maths", "early-years", "send", "curriculum",
                    "assessment", "attendance", "safeguarding"],
        "secondary": ["attendance", "behaviour", "curriculum", "assessment", "pedagogy", "send",
                      "literacy", "maths", "safeguarding"],
    }
    needs = pick_needs(
        rng, schools, None, pools, None,
        days_other=lambda rng, s, fsm, grade: rng.choice([2, 2, 2.5, 3, 3, 4]),
        n_other=lambda rng, s, fsm, grade: 3 if (grade >= 3 and rng.random() < 0.5) else 2,
        prio_first=None,
        prio_other=lambda rng, s, fsm, grade, a: 3 if (a == "leadership" and grade >= 3)
        else rng.choices([1, 2, 3], weights=[3, 4, 3 if fsm >= 45 else 1])[0],
    )
    advisers = aspire_advisers(ext)
    budget = budget_for(needs, schools, 2, advisers, 1.15)
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "schools.csv"), SCHOOL_COLS, schools)
    write_csv(os.path.join(out, "advisers.csv"), ADVISER_COLS, advisers)
    write_csv(os.path.join(out, "needs.csv"), NEED_COLS, needs)
    write_manifest(out, "Aspire Hub peer review 2026-27",
                   "One-year peer support programme for 19 schools of two academy trusts and St Helens local authority; advisers are the hub's own heads and deputies and never work in their own trust's schools",
                   "2026-09-01", "2027-07-21", budget, "trust", ASPIRE_TOML)
    write_calendar_files(out, schools, ASPIRE_AVAILABILITY, ASPIRE_LEAVE, ASPIRE_CLOSURES, [2027])
    return est, budget


# ---------------------------------------------------------------------------------------------
# 3. six-school-trust
# ---------------------------------------------------------------------------------------------

SANKEY = "Sankey Brook Primary Trust"   # invented

SIX_SCHOOLS = [
    ("104761", "primary", SANKEY, "2"),   # Rivington Primary School
    ("104773", "primary", SANKEY, "1"),   # Bleak Hill Primary School
    ("104783", "primary", SANKEY, "2"),   # Eccleston Mere Primary School
    ("134661", "primary", SANKEY, "3"),   # Carr Mill Primary School
    ("104769", "primary", SANKEY, "2"),   # Sherdley Primary School
    ("104772", "primary", SANKEY, "2"),   # Willow Tree Primary School
]

SIX_HEADS = [
    ("T1", "Janet Rigby", "104761", "literacy:3;curriculum:2;leadership:2"),
    ("T2", "Michael Doyle", "104773", "leadership:3;governance:2;maths:2"),
    ("T3", "Priya Nair", "104783", "maths:3;assessment:2;pedagogy:2"),
    ("T4", "Stephen Ollerton", "134661", "safeguarding:3;attendance:2;behaviour:2"),
    ("T5", "Emma Cunliffe", "104769", "early-years:3;literacy:2;send:1"),
    ("T6", "Louise Byrne", "104772", "send:3;behaviour:2;attendance:2"),
]


def six(ext, out):
    rng = random.Random(20270721)
    schools, est = make_schools(ext, SIX_SCHOOLS)
    spec = []
    for aid, name, urn, expertise in SIX_HEADS:
        lat, lon = school_coords(ext, urn)
        spec.append((aid, name, f"headteacher, {ext[urn]['school_name']}", lat, lon, "primary",
                     expertise, 19, 2, 0, SANKEY, "St Helens", urn))
    advisers = adviser_rows(spec)
    pools = {"primary": ["literacy", "maths", "early-years", "send", "attendance", "curriculum",
                         "assessment", "safeguarding", "behaviour", "pedagogy"]}
    needs = pick_needs(
        rng, schools, None, pools, None,
        days_other=lambda rng, s, fsm, grade: rng.choice([1.5, 2, 2, 2.5, 3, 4]),
        n_other=lambda rng, s, fsm, grade: 3 if (fsm >= 40 or grade >= 3) else 2,
        prio_first=None,
        prio_other=lambda rng, s, fsm, grade, a: 3 if (a == "leadership" and grade >= 3)
        else rng.choices([1, 2, 3], weights=[3, 4, 2])[0],
    )
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "schools.csv"), SCHOOL_COLS, schools)
    write_csv(os.path.join(out, "advisers.csv"), ADVISER_COLS, advisers)
    write_csv(os.path.join(out, "needs.csv"), NEED_COLS, needs)
    write_manifest(out, "Sankey Brook peer support 2026-27",
                   "Six St Helens primary headteachers support each other's schools for one year; each head gives at most 10% of a 190-day school year (19 days) and works with at most two other schools, never their own",
                   "2026-09-01", "2027-07-21", None, "none", SIX_TOML)
    write_calendar_files(out, schools, SIX_AVAILABILITY, SIX_LEAVE, SIX_CLOSURES, [2027])
    return est, None


def main():
    ext = load_extract(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_EXTRACT)
    for name, fn in [("knowsley-pathways", knowsley), ("aspire-hub", aspire),
                     ("six-school-trust", six)]:
        est, budget = fn(ext, os.path.join(SCEN, name))
        print(f"{name}: pupils estimated for {len(est)} schools ({' '.join(est)}); budget {budget}")


if __name__ == "__main__":
    main()
