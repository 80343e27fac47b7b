import Foundation
import Testing
@testable import AdviserModel

private func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

@Suite struct BankHolidayTests {
    /// One-off extra bank holidays: proclaimed for one year only, so never computed by rule.
    static let oneOffs: Set<String> = ["2011-04-29", "2012-06-05", "2022-06-03", "2022-09-19", "2023-05-08"]

    /// GOV.UK's England and Wales list (shared/data beside the repository), or a copy of 2025-2027 from it.
    static func govukEvents() -> (events: [(date: String, title: String)], years: ClosedRange<Int>) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("../shared/data/calendar/govuk-bank-holidays.json")
        if let data = try? Data(contentsOf: url),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let division = json["england-and-wales"] as? [String: Any],
           let events = division["events"] as? [[String: Any]] {
            let list = events.compactMap { e -> (String, String)? in
                guard let date = e["date"] as? String, let title = e["title"] as? String else { return nil }
                return (date, title)
            }
            return (list, 2012...2028)
        }
        let copy = [
            ("2025-01-01", "New Year’s Day"), ("2025-04-18", "Good Friday"), ("2025-04-21", "Easter Monday"),
            ("2025-05-05", "Early May bank holiday"), ("2025-05-26", "Spring bank holiday"), ("2025-08-25", "Summer bank holiday"),
            ("2025-12-25", "Christmas Day"), ("2025-12-26", "Boxing Day"),
            ("2026-01-01", "New Year’s Day"), ("2026-04-03", "Good Friday"), ("2026-04-06", "Easter Monday"),
            ("2026-05-04", "Early May bank holiday"), ("2026-05-25", "Spring bank holiday"), ("2026-08-31", "Summer bank holiday"),
            ("2026-12-25", "Christmas Day"), ("2026-12-28", "Boxing Day"),
            ("2027-01-01", "New Year’s Day"), ("2027-03-26", "Good Friday"), ("2027-03-29", "Easter Monday"),
            ("2027-05-03", "Early May bank holiday"), ("2027-05-31", "Spring bank holiday"), ("2027-08-30", "Summer bank holiday"),
            ("2027-12-27", "Christmas Day"), ("2027-12-28", "Boxing Day"),
        ]
        return (copy, 2025...2027)
    }

    @Test func everyYearMatchesGOVUKApartFromOneOffExtras() {
        let (events, years) = BankHolidayTests.govukEvents()
        #expect(events.count >= 24)
        let json = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/data/calendar/govuk-bank-holidays.json").path
        if FileManager.default.fileExists(atPath: json) { #expect(years == 2012...2028, "the GOV.UK file is there but was not read") }
        for year in years {
            let expected = events.filter { $0.date.hasPrefix("\(year)-") && !BankHolidayTests.oneOffs.contains($0.date) }
                .map { "\($0.date) \($0.title.replacingOccurrences(of: "’", with: "'"))" }.sorted()
            let computed = BankHolidays.englandAndWales(year: year).map { "\($0.date) \($0.name)" }
            #expect(computed == expected, "\(year)")
        }
    }

    @Test func substituteDaysAndProclaimedMoves() {
        func dates(_ year: Int) -> [String] { BankHolidays.englandAndWales(year: year).map(\.date.description) }
        // Christmas on a Saturday (2021): Monday 27th and Tuesday 28th; on a Sunday (2022): Boxing Day
        // Monday 26th, Christmas Tuesday 27th; New Year on a Saturday (2022) and Sunday (2023).
        #expect(dates(2021).suffix(2) == ["2021-12-27", "2021-12-28"])
        #expect(BankHolidays.englandAndWales(year: 2022).suffix(2).map(\.name) == ["Boxing Day", "Christmas Day"])
        #expect(dates(2022).first == "2022-01-03")
        #expect(dates(2023).first == "2023-01-02")
        #expect(dates(2020).contains("2020-05-08") && !dates(2020).contains("2020-05-04"))
        #expect(dates(1995).contains("1995-05-08") && !dates(1995).contains("1995-05-01"))
        #expect(dates(2002).contains("2002-06-04") && !dates(2002).contains("2002-05-27"))
        #expect(dates(2012).contains("2012-06-04") && !dates(2012).contains("2012-05-28"))
        #expect(dates(2022).contains("2022-06-02") && !dates(2022).contains("2022-05-30"))
        // One-off extras are not computed.
        #expect(!dates(2011).contains("2011-04-29"))
        #expect(!dates(2023).contains("2023-05-08"))
        for year in 1990...2100 {
            let list = BankHolidays.englandAndWales(year: year)
            #expect(list.count == 8, "\(year)")
            #expect(list.map(\.date) == list.map(\.date).sorted(), "\(year)")
            #expect(Set(list.map(\.date)).count == 8, "\(year)")
            #expect(list.allSatisfy { $0.date.weekday <= 5 }, "\(year)")
        }
    }

    @Test func easterSundayForKnownYears() {
        let known = ["2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2038-04-25", "2285-03-22",
                     "2008-03-23", "2011-04-24", "1943-04-25", "1818-03-22"]
        for text in known {
            let d = day(text)
            #expect(BankHolidays.easterSunday(year: d.year) == d, "\(text)")
            #expect(d.weekday == 7)
        }
    }
}

@Suite struct ISOWeekTests {
    @Test func weeksAroundYearEnds() {
        let cases = [("2026-12-31", 2026, 53, "2026-W53"), ("2027-01-01", 2026, 53, "2026-W53"), ("2027-01-03", 2026, 53, "2026-W53"),
                     ("2027-01-04", 2027, 1, "2027-W01"), ("2024-12-30", 2025, 1, "2025-W01"), ("2024-12-29", 2024, 52, "2024-W52"),
                     ("2026-01-01", 2026, 1, "2026-W01"), ("2025-12-29", 2026, 1, "2026-W01"), ("2026-01-14", 2026, 3, "2026-W03"),
                     ("2021-01-03", 2020, 53, "2020-W53")]
        for (text, year, week, label) in cases {
            let w = day(text).isoWeek
            #expect(w.year == year && w.week == week, "\(text)")
            #expect(day(text).isoWeekLabel == label)
        }
    }

    @Test func everyWeekHasSevenDaysMondayToSunday() {
        var d = day("2019-12-30")
        var previous = d.isoWeek
        var count = 1
        while d < day("2031-01-05") {
            d = d.adding(days: 1)
            let w = d.isoWeek
            if d.weekday == 1 {
                #expect(count == 7)
                #expect(w.week == previous.week + 1 || (w.week == 1 && w.year == previous.year + 1), "\(d)")
                count = 1
            } else {
                #expect(w.year == previous.year && w.week == previous.week, "\(d)")
                count += 1
            }
            previous = w
        }
    }
}

@Suite struct ProgrammeCalendarTests {
    /// 12 Mar to 14 Apr 2026: a spring term with an (invented) half-term 23-27 March that ends on 2 April,
    /// Good Friday and Easter Monday, a summer term without half-term, one extra closure, one school closure.
    static func scenario() -> Scenario {
        var s = Scenario(programme: Programme(name: "cal", start: day("2026-03-12"), end: day("2026-04-14")), schools: [], advisers: [], needs: [])
        s.terms = [
            Term(name: "Spring 2026", start: day("2026-03-16"), end: day("2026-04-02"),
                 halfTerm: DateRange(start: day("2026-03-23"), end: day("2026-03-27"), reason: "half-term")),
            Term(name: "Summer 2026", start: day("2026-04-06"), end: day("2026-05-08")),
        ]
        s.extraClosures = [DateRange(start: day("2026-04-08"), end: day("2026-04-08"), reason: "Royal event")]
        s.closures = ["S1": [DateRange(start: day("2026-04-09"), end: day("2026-04-10"), reason: "KS2 SATs week")]]
        s.availability = ["A1": AdviserAvailability(adviser: "A1", weekdays: [4, 1, 2, 3], preferredWeekdays: [3], maxDaysPerWeek: 2)]
        s.leave = ["A1": [DateRange(start: day("2026-03-31"), end: day("2026-04-01"), reason: "training")]]
        s.visits.maxDaysPerWeek = 3
        return s
    }

    @Test func schoolDaysAndReasons() {
        let c = ProgrammeCalendar(scenario: ProgrammeCalendarTests.scenario())
        #expect(c.schoolDays.map(\.description) == [
            "2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02",
            "2026-04-07", "2026-04-09", "2026-04-10", "2026-04-13", "2026-04-14",
        ])
        #expect(c.bankHolidays == [Holiday(date: day("2026-04-03"), name: "Good Friday"), Holiday(date: day("2026-04-06"), name: "Easter Monday")])
        #expect(c.isSchoolDay(day("2026-04-09")))
        #expect(c.isOpen(school: "S2", on: day("2026-04-09")))
        #expect(!c.isOpen(school: "S1", on: day("2026-04-09")))
        #expect(c.isOpen(school: "S1", on: day("2026-04-13")))
        let reasons = ["2026-03-13", "2026-03-14", "2026-03-24", "2026-04-03", "2026-04-06", "2026-04-08", "2026-04-09", "2026-04-13", "2026-04-15"]
            .map { c.whyClosed(school: "S1", on: day($0)) }
        #expect(reasons == ["not in term", "weekend", "half-term (Spring 2026)", "bank holiday: Good Friday", "bank holiday: Easter Monday",
                            "closed: Royal event", "closed: KS2 SATs week", nil, "outside the programme (2026-03-12 to 2026-04-14)"])
        #expect(c.whyClosed(school: "S2", on: day("2026-04-09")) == nil)
        // Every day of the programme: open exactly when no reason is given.
        for n in day("2026-03-12").dayNumber...day("2026-04-14").dayNumber {
            let d = CivilDate(dayNumber: n)
            #expect(c.isOpen(school: "S1", on: d) == (c.whyClosed(school: "S1", on: d) == nil), "\(d)")
        }
    }

    @Test func termsAreClippedToTheProgramme() {
        var s = ProgrammeCalendarTests.scenario()
        s.programme.start = day("2026-03-31")
        s.programme.end = day("2026-04-07")
        let c = ProgrammeCalendar(scenario: s)
        #expect(c.schoolDays.map(\.description) == ["2026-03-31", "2026-04-01", "2026-04-02", "2026-04-07"])
        #expect(c.blockCount == 2)
        #expect(c.block(of: day("2026-03-31")) == 0 && c.block(of: day("2026-04-07")) == 1)
        #expect(c.bankHolidays.map(\.name) == ["Good Friday", "Easter Monday"])
    }

    @Test func advisersWeekdaysLeaveAndPreferences() {
        let c = ProgrammeCalendar(scenario: ProgrammeCalendarTests.scenario())
        #expect(c.whyUnavailable(adviser: "A1", on: day("2026-04-10")) == "does not work on Fridays")
        #expect(c.whyUnavailable(adviser: "A1", on: day("2026-03-31")) == "on leave: training")
        #expect(c.whyUnavailable(adviser: "A1", on: day("2026-04-07")) == nil)
        #expect(c.whyUnavailable(adviser: "A2", on: day("2026-04-10")) == nil)
        #expect(c.whyUnavailable(adviser: "A2", on: day("2026-03-21")) == "does not work on Saturdays")
        #expect(c.isAvailable(adviser: "A1", on: day("2026-04-07")))
        #expect(!c.isAvailable(adviser: "A1", on: day("2026-04-01")))
        #expect(c.isAvailable(adviser: "A2", on: day("2026-04-01")))
        #expect(c.maxDaysPerWeek(adviser: "A1") == 2)
        #expect(c.maxDaysPerWeek(adviser: "A2") == 3)
        #expect(c.prefers(adviser: "A1", weekday: 3))
        #expect(!c.prefers(adviser: "A1", weekday: 1))
        #expect(!c.prefers(adviser: "A2", weekday: 3))
    }

    @Test func halfTermBlocks() {
        let c = ProgrammeCalendar(scenario: ProgrammeCalendarTests.scenario())
        // Spring: 16-22 March and 28 March-2 April; summer (no half-term) split at its midpoint, 22 April:
        // its first half is clipped to the programme, its second half lies after it and is dropped.
        #expect(c.blockCount == 3)
        #expect(c.block(of: day("2026-03-16")) == 0 && c.block(of: day("2026-03-22")) == 0)
        #expect(c.block(of: day("2026-03-24")) == nil)
        #expect(c.block(of: day("2026-03-30")) == 1)
        #expect(c.block(of: day("2026-04-09")) == 2)
        #expect(c.block(of: day("2026-03-13")) == nil)
        #expect(c.block(of: day("2026-04-15")) == nil)
        #expect(c.blockDates(2).start == day("2026-04-06") && c.blockDates(2).end == day("2026-04-14"))
    }

    @Test func withoutTermsEveryWeekdayButHolidaysIsASchoolDay() {
        var s = Scenario(programme: Programme(name: "cal", start: day("2026-12-21"), end: day("2027-01-08")), schools: [], advisers: [], needs: [])
        s.extraClosures = [DateRange(start: day("2027-01-04"), end: day("2027-01-04"), reason: "trust INSET day")]
        let c = ProgrammeCalendar(scenario: s)
        #expect(c.schoolDays.map(\.description) == [
            "2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-29", "2026-12-30", "2026-12-31",
            "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08",
        ])
        #expect(c.bankHolidays.map(\.date.description) == ["2026-12-25", "2026-12-28", "2027-01-01"])
        #expect(c.whyClosed(school: "x", on: day("2026-12-28")) == "bank holiday: Boxing Day")
        #expect(c.whyClosed(school: "x", on: day("2027-01-04")) == "closed: trust INSET day")
        #expect(c.blockCount == 2)
        #expect(c.block(of: day("2026-12-21")) == 0 && c.block(of: day("2027-01-08")) == 1)
    }
}

@Suite struct ClockTimeTests {
    /// Visit times as plans and scenario files write them, and everything else refused.
    @Test func readsHoursAndMinutesAndNothingElse() {
        #expect(minutesSinceMidnight("09:00") == 540)
        #expect(minutesSinceMidnight("9:30") == 570)
        #expect(minutesSinceMidnight("00:00") == 0)
        #expect(minutesSinceMidnight("23:59") == 1_439)
        for bad in ["24:00", "12:60", "9:5", "123:00", "12:000", "12.00", "1200", ":00", "12:", "", "+9:00", "-1:00",
                    "1 :00", "١٢:٠٠", "12:0a", "12:00:00", "09:00\n"] {
            #expect(minutesSinceMidnight(bad) == nil, "\(bad)")
        }
    }
}
