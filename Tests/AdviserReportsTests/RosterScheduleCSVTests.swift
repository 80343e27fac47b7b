import AdviserModel
import AdviserReports
import AdviserSolver
import Foundation
import Testing

/// Names a spreadsheet would run as formulas, beside names that need RFC 4180 quoting.
private func hostilePlan() -> Plan {
    var plan = Plan(
        scenario: .init(name: "Hostile", fingerprint: "sha256:abc", start: CivilDate(iso: "2026-01-05"), end: CivilDate(iso: "2026-07-17")),
        status: .optimal, objective: 1, bound: 1, gap: 0,
        model: .init(variables: 1, integerVariables: 1, constraints: 1, nonzeros: 1),
        assignments: [
            .init(adviser: "A2", school: "100002", role: .lead, days: ["literacy": 1], leadDays: 2,
                  travelMinutes: 10, capacityDays: 3.0 + 1.0 / 3.0, cost: 0.1 + 0.2),
            .init(adviser: "A1", school: "100001", role: .lead, days: [:], leadDays: 2, travelMinutes: 0, capacityDays: 2, cost: 1000),
        ],
        unmet: [])
    plan.advisers = [
        .init(id: "A1", name: "@Ann Able", role: "", capacityDays: 10, maxSchools: 3, dayRate: 500),
        .init(id: "A2", name: "-Bob, Best", role: "", capacityDays: 5, maxSchools: 2, dayRate: 500),
    ]
    plan.schools = [
        .init(id: "100001", name: "=HYPERLINK(\"http://evil.example\",\"click\")", phase: .primary, localAuthority: "+Knowsley", disadvantagedPct: 0),
        .init(id: "100002", name: "\tTabbed \"Hill\" School", phase: .secondary, localAuthority: "Halton", disadvantagedPct: 0),
    ]
    plan.visits = [
        .init(adviser: "A2", school: "100002", date: CivilDate(iso: "2026-01-13")!, start: "13:00", end: "15:30", areas: ["literacy"]),
        .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-01-13")!, start: "09:00", end: "15:30", areas: ["lead"]),
    ]
    return plan
}

/// A plan with visits out of date order across two ISO weeks, for the schedule's order and filters.
private func datedPlan() -> Plan {
    var plan = samplePlan()
    plan.visits = [
        .init(adviser: "A1", school: "100002", date: CivilDate(iso: "2026-01-19")!, start: "13:00", end: "15:30", areas: ["literacy"]),
        .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-01-12")!, start: "09:00", end: "15:30", areas: ["lead", "literacy"]),
        .init(adviser: "A2", school: "100001", date: CivilDate(iso: "2026-01-12")!, start: "09:00", end: "12:00", areas: ["send"]),
        .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-01-20")!, start: "09:00", end: "15:30", areas: ["maths"]),
        .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-01-12")!, start: "13:00", end: "15:30", areas: ["literacy"]),
    ]
    return plan
}

@Suite struct RosterScheduleCSVTests {
    @Test func rosterByAdviserIsExact() {
        #expect(RosterReport.csv(samplePlan()) == """
        adviser,adviser_name,school,school_name,local_authority,phase,role,areas,lead_days,need_days,visit_days,travel_minutes,capacity_days,cost\r
        A1,Ann Able,100001,"St Aidan's Church of England Primary School, Huyton",Knowsley,primary,lead,literacy:3;maths:1.5,2,4.5,6.5,22.4,6.9,3250\r
        A1,Ann Able,100002,"Kirkby ""Hill"" Academy",Knowsley,secondary,specialist,literacy:1,0,1,1,9.5,1.04,500\r
        A2,Bob Best,100001,"St Aidan's Church of England Primary School, Huyton",Knowsley,primary,specialist,send:2,0,2,2,41.6,2.4,1000\r

        """)
    }

    @Test func rosterBySchoolPutsTheLeadFirst() {
        let rows = RosterReport.csv(samplePlan(), by: .school).components(separatedBy: "\r\n").map { $0.split(separator: ",").prefix(3).joined(separator: ",") }
        #expect(rows == ["adviser,adviser_name,school", "A1,Ann Able,100001", "A2,Bob Best,100001", "A1,Ann Able,100002", ""])
    }

    @Test func formulasAreNeutralisedAndFiguresRounded() {
        #expect(RosterReport.csv(hostilePlan()) == """
        adviser,adviser_name,school,school_name,local_authority,phase,role,areas,lead_days,need_days,visit_days,travel_minutes,capacity_days,cost\r
        A1,'@Ann Able,100001,"'=HYPERLINK(""http://evil.example"",""click"")",'+Knowsley,primary,lead,,2,0,2,0,2,1000\r
        A2,"'-Bob, Best",100002,"'\tTabbed ""Hill"" School",Halton,secondary,lead,literacy:1,2,1,3,10,3.33,0.3\r

        """)
        #expect(ScheduleReport.csv(hostilePlan()) == """
        date,weekday,week,start,end,adviser,adviser_name,school,school_name,local_authority,areas,visit,of\r
        2026-01-13,Tue,2026-W03,09:00,15:30,A1,'@Ann Able,100001,"'=HYPERLINK(""http://evil.example"",""click"")",'+Knowsley,lead,1,1\r
        2026-01-13,Tue,2026-W03,13:00,15:30,A2,"'-Bob, Best",100002,"'\tTabbed ""Hill"" School",Halton,literacy,1,1\r

        """)
    }

    @Test func scheduleIsOneRowPerVisitInDateOrder() {
        #expect(ScheduleReport.csv(datedPlan()) == """
        date,weekday,week,start,end,adviser,adviser_name,school,school_name,local_authority,areas,visit,of\r
        2026-01-12,Mon,2026-W03,09:00,15:30,A1,Ann Able,100001,"St Aidan's Church of England Primary School, Huyton",Knowsley,lead;literacy,1,3\r
        2026-01-12,Mon,2026-W03,09:00,12:00,A2,Bob Best,100001,"St Aidan's Church of England Primary School, Huyton",Knowsley,send,1,1\r
        2026-01-12,Mon,2026-W03,13:00,15:30,A1,Ann Able,100001,"St Aidan's Church of England Primary School, Huyton",Knowsley,literacy,2,3\r
        2026-01-19,Mon,2026-W04,13:00,15:30,A1,Ann Able,100002,"Kirkby ""Hill"" Academy",Knowsley,literacy,1,1\r
        2026-01-20,Tue,2026-W04,09:00,15:30,A1,Ann Able,100001,"St Aidan's Church of England Primary School, Huyton",Knowsley,maths,3,3\r

        """)
    }

    @Test func scheduleFiltersLikeTheTextView() {
        func dates(_ csv: String) -> [String] { csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { String($0.prefix(10)) + " " + $0.split(separator: ",")[5] } }
        #expect(dates(ScheduleReport.csv(datedPlan(), adviser: "A2")) == ["2026-01-12 A2"])
        #expect(dates(ScheduleReport.csv(datedPlan(), school: "100002")) == ["2026-01-19 A1"])
        #expect(dates(ScheduleReport.csv(datedPlan(), week: "2026-W04")) == ["2026-01-19 A1", "2026-01-20 A1"])
        // Nothing matches: the header alone, so a script still gets the columns.
        #expect(ScheduleReport.csv(datedPlan(), week: "2027-W01") == ScheduleReport.csvColumns.joined(separator: ",") + "\r\n")
    }

    @Test func spreadsheetCellsAndFigures() {
        #expect(SpreadsheetCSV.cell("=1+2") == "'=1+2")
        #expect(SpreadsheetCSV.cell("Smith, Jones") == "\"Smith, Jones\"")
        #expect(SpreadsheetCSV.cell("a\nb") == "\"a\nb\"")
        #expect(SpreadsheetCSV.cell("St Mary's") == "St Mary's")
        #expect(SpreadsheetCSV.cell("=A1, \"x\"") == "\"'=A1, \"\"x\"\"\"")
        #expect(SpreadsheetCSV.cell("Ysgol \"Bro\" Édouard") == "\"Ysgol \"\"Bro\"\" Édouard\"")
        #expect(SpreadsheetCSV.cell("\tx") == "'\tx")
        #expect(SpreadsheetCSV.cell("\r\n") == "\"'\r\n\"")
        #expect(SpreadsheetCSV.cell("") == "")
        #expect(SpreadsheetCSV.cell("Ésher-on-Sea") == "Ésher-on-Sea")
        #expect(SpreadsheetCSV.row(["-1", "x"]) == "'-1,x\r\n")
        #expect(SpreadsheetCSV.number(0.1 + 0.2) == "0.3")
        #expect(SpreadsheetCSV.number(2) == "2")
        #expect(SpreadsheetCSV.number(1.04) == "1.04")
        #expect(SpreadsheetCSV.number(3250.5) == "3250.5")
        #expect(SpreadsheetCSV.number(0.004) == "0")
        #expect(SpreadsheetCSV.number(12.999) == "13")
        // The calendar exports share the same cells.
        #expect(CalendarExport.googleCSV([]) == SpreadsheetCSV.row(CalendarExport.googleColumns))
    }
}
