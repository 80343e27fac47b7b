import Foundation
import Testing
@testable import AdviserModel

private func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

/// The test fixture with a full calendar: terms, [calendar], [visits] and the three optional tables.
private func calendarFixture() -> Fixture {
    var f = Fixture()
    f.files["scenario.toml"]! += "\n" + """

    [[terms]]
    name = "Autumn 2026"
    start = 2026-09-01
    end = 2026-12-18
    half_term_start = 2026-10-26
    half_term_end = 2026-10-30

    [[terms]]
    name = "Spring 2027"
    start = 2027-01-04
    end = 2027-03-25

    [calendar]
    bank_holidays = "england-and-wales"
    extra_closures = [2026-11-16, { start = 2027-01-04, end = 2027-01-05, reason = "snow" }]

    [visits]
    day_start = "08:45"
    day_end = "15:15"
    half_days = false
    min_gap_days = 10
    max_days_per_week = 2

    """
    f.files["availability.csv"] = """
    adviser,weekdays,preferred_weekdays,max_days_per_week
    A1,Mon;TUE;thursday,tue,
    A2,wed,,1
    """
    f.files["leave.csv"] = """
    adviser,start,end,reason
    A1,2026-11-02,2026-11-06,surgery
    A1,2026-09-14,2026-09-14,
    """
    f.files["closures.csv"] = """
    school,start,end,reason
    100001,2027-05-10,2027-05-13,KS2 SATs week
    100002,2026-09-01,2026-09-02,INSET days
    """
    return f
}

/// Appends `text` to a file of the fixture.
private extension Fixture {
    func appending(_ file: String, _ text: String) -> Fixture {
        var copy = self
        copy.files[file] = (files[file] ?? "") + text
        return copy
    }
}

@Suite struct CalendarLoaderTests {
    @Test func calendarSettingsAndTablesLoad() throws {
        let s = try calendarFixture().load()
        #expect(s.terms == [
            Term(name: "Autumn 2026", start: day("2026-09-01"), end: day("2026-12-18"),
                 halfTerm: DateRange(start: day("2026-10-26"), end: day("2026-10-30"), reason: "half-term")),
            Term(name: "Spring 2027", start: day("2027-01-04"), end: day("2027-03-25")),
        ])
        #expect(s.extraClosures == [DateRange(start: day("2026-11-16"), end: day("2026-11-16"), reason: "extra closure"),
                                    DateRange(start: day("2027-01-04"), end: day("2027-01-05"), reason: "snow")])
        var visits = VisitSettings()
        visits.dayStart = "08:45"; visits.dayEnd = "15:15"; visits.halfDays = false; visits.minGapDays = 10; visits.maxDaysPerWeek = 2
        #expect(s.visits == visits)
        #expect(s.availability == [
            "A1": AdviserAvailability(adviser: "A1", weekdays: [1, 2, 4], preferredWeekdays: [2], maxDaysPerWeek: 2),
            "A2": AdviserAvailability(adviser: "A2", weekdays: [3], preferredWeekdays: [], maxDaysPerWeek: 1),
        ])
        #expect(s.leave == ["A1": [DateRange(start: day("2026-09-14"), end: day("2026-09-14"), reason: ""),
                                   DateRange(start: day("2026-11-02"), end: day("2026-11-06"), reason: "surgery")]])
        #expect(s.closures["100001"] == [DateRange(start: day("2027-05-10"), end: day("2027-05-13"), reason: "KS2 SATs week")])
        #expect(s.inputFiles.count == 7)
        // The fingerprint covers the new tables.
        let changed = try calendarFixture().replacing("leave.csv", "surgery", "holiday").load()
        #expect(changed.fingerprint != s.fingerprint)

        let c = ProgrammeCalendar(scenario: s)
        #expect(c.whyUnavailable(adviser: "A1", on: day("2026-09-14")) == "on leave")
        #expect(c.whyUnavailable(adviser: "A1", on: day("2026-11-04")) == "does not work on Wednesdays")
        #expect(c.whyClosed(school: "100002", on: day("2026-09-02")) == "closed: INSET days")
        #expect(c.whyClosed(school: "100002", on: day("2026-11-16")) == "closed: extra closure")
        #expect(c.whyClosed(school: "100002", on: day("2027-01-05")) == "closed: snow")
        #expect(c.whyClosed(school: "100002", on: day("2027-04-12")) == "not in term")
        #expect(c.blockCount == 4)
        // Autumn: 79 weekdays, less 5 in half-term and 1 extra closure; spring: 59 weekdays less 2 closed.
        #expect(c.schoolDays.count == 73 + 57)
    }

    @Test func withoutCalendarSettingsTheDefaultsApply() throws {
        let s = try Fixture().load()
        #expect(s.terms.isEmpty && s.extraClosures.isEmpty && s.availability.isEmpty && s.leave.isEmpty && s.closures.isEmpty)
        #expect(s.visits == VisitSettings())
        let c = ProgrammeCalendar(scenario: s)
        #expect(c.schoolDays.first == day("2026-09-01") && c.schoolDays.last == day("2027-07-21"))
        #expect(!c.isSchoolDay(day("2026-12-25")))
        #expect(c.blockCount == 2)
    }

    @Test func termProblems() {
        let endBeforeStart = calendarFixture().replacing("scenario.toml", "end = 2027-03-25", "end = 2026-12-25")
        #expect(endBeforeStart.diagnostics() == [
            "scenario.toml:26:7: term \"Spring 2027\" ends (2026-12-25) before it starts (2027-01-04)",
        ])
        let halfOutside = calendarFixture().replacing("scenario.toml", "half_term_end = 2026-10-30", "half_term_end = 2026-12-18")
        #expect(halfOutside.diagnostics() == [
            "scenario.toml:20:19: the half-term of term \"Autumn 2026\" (2026-10-26 to 2026-12-18) must lie inside the term (2026-09-01 to 2026-12-18), with term days before and after it",
        ])
        let halfReversed = calendarFixture().replacing("scenario.toml", "half_term_start = 2026-10-26", "half_term_start = 2026-11-26")
        #expect(halfReversed.diagnostics() == [
            "scenario.toml:21:17: the half-term of term \"Autumn 2026\" ends (2026-10-30) before it starts (2026-11-26)",
        ])
        let halfAlone = calendarFixture().replacing("scenario.toml", "half_term_end = 2026-10-30", "")
        #expect(halfAlone.diagnostics() == [
            "scenario.toml:20:19: term \"Autumn 2026\" has `half_term_start` but no `half_term_end`; give both or neither",
        ])
        let overlapping = calendarFixture().replacing("scenario.toml", "start = 2027-01-04\nend = 2027-03-25", "start = 2026-12-14\nend = 2027-03-25")
        #expect(overlapping.diagnostics() == [
            "scenario.toml:25:9: term \"Spring 2027\" (2026-12-14 to 2027-03-25) overlaps term \"Autumn 2026\" (2026-09-01 to 2026-12-18)",
        ])
        let outside = calendarFixture().replacing("scenario.toml", "start = 2027-01-04\nend = 2027-03-25", "start = 2028-01-04\nend = 2028-03-25")
        #expect(outside.diagnostics() == [
            "scenario.toml:25:9: term \"Spring 2027\" (2028-01-04 to 2028-03-25) is outside the programme (2026-09-01 to 2027-07-21)",
        ])
        let missing = calendarFixture().replacing("scenario.toml", "name = \"Spring 2027\"\n", "")
            .replacing("scenario.toml", "half_term_end = 2026-10-30", "half_term_end = \"late October\"\nhalf_trem = 1")
        #expect(missing.diagnostics() == [
            "scenario.toml:21:17: `terms.half_term_end` must be a date written YYYY-MM-DD; found \"late October\"",
            "scenario.toml:22:1: unknown setting `terms.half_trem`; [[terms]] takes name, start, end, half_term_start, half_term_end",
            "scenario.toml:24:1: term 2 has no `name`; add e.g. `name = \"Autumn 2026\"`",
        ])
        let impossibleTermStart = calendarFixture().replacing("scenario.toml", "start = 2027-01-04\nend = 2027-03-25", "start = 2027-01-32\nend = 2027-03-25")
        #expect(impossibleTermStart.diagnostics() == ["scenario.toml:25:9: `2027-01-32` is not a real date (YYYY-MM-DD)"])
        let doubledHeader = calendarFixture().replacing("scenario.toml", "[[terms]]\nname = \"Spring 2027\"", "[[terms]]\n[[terms]]\nname = \"Spring 2027\"")
        #expect(doubledHeader.diagnostics() == [
            "scenario.toml:23:1: term 2 is empty: a [[terms]] line with nothing under it; remove the line or give the term name, start and end",
        ])
        let duplicateName = calendarFixture().replacing("scenario.toml", "name = \"Spring 2027\"", "name = \"Autumn 2026\"")
        #expect(duplicateName.diagnostics() == [
            "scenario.toml:24:8: term name \"Autumn 2026\" is used twice (first on line 17); give each term its own name",
        ])
        let singleBrackets = Fixture().appending("scenario.toml", "\n[terms]\nname = \"Autumn\"\n")
        #expect(singleBrackets.diagnostics() == [
            "scenario.toml:15:1: `terms` must be written as one [[terms]] table per term (double brackets), each with name, start and end",
        ])
        let misspelt = Fixture().appending("scenario.toml", "\n[[term]]\nname = \"Autumn\"\n")
        #expect(misspelt.diagnostics() == ["scenario.toml:15:1: unknown section `term`; did you mean `[[terms]]`?"])
    }

    @Test func calendarAndVisitProblems() {
        let scotland = calendarFixture().replacing("scenario.toml", "\"england-and-wales\"", "\"scotland\"")
        #expect(scotland.diagnostics() == [
            "scenario.toml:29:17: `calendar.bank_holidays` must be \"england-and-wales\" (the only calendar supported so far); found \"scotland\"; list other closures in `extra_closures`",
        ])
        let closures = calendarFixture().replacing("scenario.toml", "extra_closures = [2026-11-16,",
                                                   "extra_closures = [2026-11-14, 2025-11-17, 2026-11-16, 2026-11-16, \"16/11/2026\", 7,")
        #expect(closures.diagnostics() == [
            "scenario.toml:30:19: extra closure 2026-11-14 is a Saturday; schools are closed at weekends anyway",
            "scenario.toml:30:31: extra closure 2025-11-17 is outside the programme (2026-09-01 to 2027-07-21)",
            "scenario.toml:30:55: extra closure 2026-11-16 is listed twice (first on line 30)",
            "scenario.toml:30:67: `calendar.extra_closures` must be a date written YYYY-MM-DD; found \"16/11/2026\"",
            "scenario.toml:30:81: `calendar.extra_closures` must be a list of dates, e.g. [2026-05-08], or of { start = 2026-05-08, end = 2026-05-08, reason = \"...\" }",
        ])
        let badTable = calendarFixture().replacing("scenario.toml", "end = 2027-01-05, reason = \"snow\"", "end = 2027-01-01, reson = \"snow\"")
        #expect(badTable.diagnostics() == [
            "scenario.toml:30:59: this extra closure ends (2027-01-01) before it starts (2027-01-04)",
            "scenario.toml:30:71: unknown key `reson` in an extra closure; did you mean `reason`?",
        ])
        let times = calendarFixture()
            .replacing("scenario.toml", "day_start = \"08:45\"", "day_start = \"8.45am\"")
            .replacing("scenario.toml", "min_gap_days = 10", "min_gap_days = 120")
            .replacing("scenario.toml", "max_days_per_week = 2", "max_days_per_week = 2.5\nmorning_end = \"24:00\"")
        #expect(times.diagnostics() == [
            "scenario.toml:33:13: `visits.day_start` must be a time written HH:MM (24-hour), e.g. \"09:00\"; found \"8.45am\"",
            "scenario.toml:36:16: `visits.min_gap_days` must be between 0 and 90; found 120",
            "scenario.toml:37:21: `visits.max_days_per_week` must be a whole number; found a number",
            "scenario.toml:38:15: `visits.morning_end` must be a time written HH:MM (24-hour), e.g. \"09:00\"; found \"24:00\"",
        ])
        let order = calendarFixture().replacing("scenario.toml", "day_end = \"15:15\"", "day_end = \"08:30\"")
        #expect(order.diagnostics() == ["scenario.toml:34:11: `visits.day_end` (08:30) must be after `visits.day_start` (08:45)"])
        // With half days, an end before the start is one message, not also "before the afternoon".
        let orderWithHalves = calendarFixture().replacing("scenario.toml", "day_end = \"15:15\"", "day_end = \"08:30\"")
            .replacing("scenario.toml", "half_days = false", "half_days = true")
        #expect(orderWithHalves.diagnostics() == ["scenario.toml:34:11: `visits.day_end` (08:30) must be after `visits.day_start` (08:45)"])
        let halves = calendarFixture()
            .replacing("scenario.toml", "half_days = false", "half_days = true\nmorning_end = \"12:30\"\nafternoon_start = \"12:00\"")
        #expect(halves.diagnostics() == [
            "scenario.toml:37:19: `visits.afternoon_start` (12:00) must be no earlier than `visits.morning_end` (12:30)",
        ])
        let lateAfternoon = calendarFixture().replacing("scenario.toml", "half_days = false", "half_days = true\nafternoon_start = \"15:15\"")
        #expect(lateAfternoon.diagnostics() == [
            "scenario.toml:34:11: `visits.day_end` (15:15) must be after `visits.afternoon_start` (15:15)",
        ])
        let bareTime = calendarFixture().replacing("scenario.toml", "day_start = \"08:45\"", "day_start = 08:45")
        #expect(bareTime.diagnostics() == ["scenario.toml:33:13: `08:45`: write a time as text in double quotes, e.g. \"08:45\""])
        let unknown = calendarFixture().replacing("scenario.toml", "min_gap_days", "min_gap_day").replacing("scenario.toml", "[calendar]", "[calender]")
        #expect(unknown.diagnostics() == [
            "scenario.toml:28:1: unknown section `calender`; did you mean `[calendar]`?",
            "scenario.toml:36:1: unknown setting `visits.min_gap_day`; did you mean `min_gap_days`?",
        ])
    }

    @Test func availabilityProblems() {
        var f = calendarFixture()
        f.files["availability.csv"] = """
        adviser,weekdays,preferred_weekdays,max_days_per_week
        A1,mon;tue;frydai,,
        A3,mon,,
        A2,wed;thu,fri;thu,
        A2,mon,,
        B9,mon;mon,,8
        A1,tue;wed,,3

        """
        #expect(f.diagnostics() == [
            "availability.csv:2:4: unknown weekday `frydai` in `weekdays`; did you mean `fri`?",
            "availability.csv:3:1: adviser A3 is not in advisers.csv; did you mean A1?",
            "availability.csv:4:12: preferred weekday fri is not among the adviser's weekdays (wed;thu)",
            "availability.csv:5:1: adviser A2 already has a row on line 4; give one row per adviser",
            "availability.csv:6:1: adviser B9 is not in advisers.csv",
            "availability.csv:6:4: `weekdays` lists mon twice",
            "availability.csv:6:13: `max_days_per_week` must be between 1 and 7, found 8",
            "availability.csv:7:1: adviser A1 already has a row on line 2; give one row per adviser",
        ])
        var tooMany = calendarFixture()
        tooMany.files["availability.csv"] = "adviser,weekdays,max_days_per_week\nA1,tue;thu,3\nA2,,\n"
        #expect(tooMany.diagnostics() == [
            "availability.csv:2:12: `max_days_per_week` is 3 but the adviser works only 2 weekdays (tue;thu)",
            "availability.csv:3:4: `weekdays` is empty; a value is required",
        ])
        var missingFile = calendarFixture()
        missingFile.files["availability.csv"] = nil
        missingFile = missingFile.replacing("scenario.toml", "[rules]", "[files]\navailability = \"availabilty.csv\"\n\n[rules]")
        // Blamed on the setting that names it, with the file it most likely meant when that one is there.
        #expect(missingFile.diagnostics() == ["scenario.toml:8:16: `files.availability` names \"availabilty.csv\", which is not in the scenario folder"])
        let misspelt = calendarFixture().replacing("scenario.toml", "[rules]", "[files]\navailability = \"availabilty.csv\"\n\n[rules]")
        #expect(misspelt.diagnostics() == [
            "scenario.toml:8:16: `files.availability` names \"availabilty.csv\", which is not in the scenario folder; did you mean \"availability.csv\"?",
        ])
        // A required table left at its default name and missing is blamed on itself, as before.
        var noNeeds = calendarFixture()
        noNeeds.files["needs.csv"] = nil
        #expect(noNeeds.diagnostics() == ["needs.csv:1:1: cannot read: the file does not exist"])
    }

    @Test func leaveAndClosureProblems() {
        var f = calendarFixture()
        f.files["leave.csv"] = """
        adviser,start,end,reason
        A1,2026-02-30,2026-03-02,ski
        A1,2026-11-06,2026-11-02,surgery
        A1,02/11/2026,2026-11-06,
        A7,2026-11-02,2026-11-06,
        A2,2025-11-02,2025-11-06,typo in the year
        A2,2026-11-02,2026-11-06,ok,extra
        A2,2026-12-07 00:00:00,2026-12-08,date cell with a time

        """
        f.files["closures.csv"] = """
        school,start,end,why
        100003,2027-05-10,2027-05-13,KS2 SATs week
        100002,2027-05-10,,INSET

        """
        #expect(f.diagnostics() == [
            "closures.csv:1:18: unknown column `why`; did you mean `end`?",
            "closures.csv:2:1: school 100003 is not in schools.csv",
            "closures.csv:3:19: `end` is empty; a value is required",
            "leave.csv:2:4: `start` 2026-02-30 is not a real date",
            "leave.csv:3:15: `end` 2026-11-02 is before `start` 2026-11-06",
            "leave.csv:4:4: `start` must be a date written YYYY-MM-DD, found `02/11/2026`; write 2026-11-02",
            "leave.csv:5:1: adviser A7 is not in advisers.csv; did you mean A1?",
            "leave.csv:6:4: leave from 2025-11-02 to 2025-11-06 is outside the programme (2026-09-01 to 2027-07-21); check the year",
            "leave.csv:7:29: this row has 5 fields but the header has 4; check for a missing or extra comma",
            "leave.csv:8:4: `start` must be a date written YYYY-MM-DD, found `2026-12-07 00:00:00`; write the date alone, 2026-12-07",
        ])
    }

    @Test func bundledScenarioCalendars() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // (name, terms, school days, blocks)
        for (name, terms, schoolDays, blocks) in [("knowsley-pathways", 5, 312, 10), ("aspire-hub", 3, 195, 6), ("six-school-trust", 3, 194, 6)] {
            let s = try ScenarioLoader.load(directory: root.appendingPathComponent("scenarios/\(name)").path)
            let c = ProgrammeCalendar(scenario: s)
            #expect(s.terms.count == terms, "\(name)")
            #expect(c.schoolDays.count == schoolDays, "\(name)")
            #expect(c.blockCount == blocks, "\(name)")
            #expect(Set(s.availability.keys) == Set(s.advisers.map(\.id)), "\(name)")
            #expect(!s.leave.isEmpty && !s.closures.isEmpty, "\(name)")
            // Every primary is closed to visits in its KS2 SATs week.
            for school in s.schools where school.phase == .primary {
                #expect(c.whyClosed(school: school.id, on: day("2027-05-11")) == "closed: KS2 SATs week", "\(name) \(school.id)")
            }
            // Serving headteachers work fewer weekdays than inspectors and former HMIs.
            for adviser in s.advisers {
                let weekdays = s.availability[adviser.id]!.weekdays.count
                if adviser.role.contains("inspector") || adviser.role.contains("HMI") { #expect(weekdays == 5, "\(name) \(adviser.id)") }
                else if adviser.role.contains("headteacher") { #expect(weekdays <= 3, "\(name) \(adviser.id)") }
            }
        }
    }
}
