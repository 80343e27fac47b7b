import Foundation

// MARK: - Bank holidays

/// A public holiday: schools and advisers do not work.
public struct Holiday: Sendable, Equatable {
    public var date: CivilDate
    public var name: String
    public init(date: CivilDate, name: String) { self.date = date; self.name = name }
}

/// Bank holidays computed by rule, so that no table needs updating each year.
public enum BankHolidays {
    /// Holidays moved by royal proclamation away from the date the rule gives. One-off *extra* holidays
    /// (the 2011 royal wedding, the 2012 and 2022 jubilees, the 2022 state funeral, the 2023 coronation)
    /// are not here and are not computed: a scenario lists them in `[calendar] extra_closures`.
    ///
    /// - 1995: early May bank holiday moved from Monday 1 May to Monday 8 May (50th anniversary of VE day).
    /// - 2002: spring bank holiday moved from Monday 27 May to Tuesday 4 June (Golden Jubilee).
    /// - 2012: spring bank holiday moved from Monday 28 May to Monday 4 June (Diamond Jubilee).
    /// - 2020: early May bank holiday moved from Monday 4 May to Friday 8 May (75th anniversary of VE day).
    /// - 2022: spring bank holiday moved from Monday 30 May to Thursday 2 June (Platinum Jubilee).
    static let proclaimedMoves: [Int: [String: (month: Int, day: Int, name: String)]] = [
        1995: ["early May": (5, 8, "Early May bank holiday (VE day)")],
        2002: ["spring": (6, 4, "Spring bank holiday")],
        2012: ["spring": (6, 4, "Spring bank holiday")],
        2020: ["early May": (5, 8, "Early May bank holiday (VE day)")],
        2022: ["spring": (6, 2, "Spring bank holiday")],
    ]

    /// England and Wales bank holidays of `year`, sorted by date, by the rules in force since 1978:
    /// New Year's Day, Good Friday, Easter Monday, early May (first Monday), spring (last Monday of May),
    /// summer (last Monday of August), Christmas Day and Boxing Day, each moved to its substitute day
    /// when it falls at a weekend, and the moves made by proclamation (`proclaimedMoves`).
    public static func englandAndWales(year: Int) -> [Holiday] {
        func date(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
        var list: [Holiday] = []

        // New Year's Day: a Saturday or Sunday moves to the next Monday.
        let newYear = date(1, 1)
        switch newYear.weekday {
        case 6: list.append(Holiday(date: newYear.adding(days: 2), name: "New Year's Day"))
        case 7: list.append(Holiday(date: newYear.adding(days: 1), name: "New Year's Day"))
        default: list.append(Holiday(date: newYear, name: "New Year's Day"))
        }

        let easter = easterSunday(year: year)
        list.append(Holiday(date: easter.adding(days: -2), name: "Good Friday"))
        list.append(Holiday(date: easter.adding(days: 1), name: "Easter Monday"))

        let moves = proclaimedMoves[year] ?? [:]
        if let move = moves["early May"] {
            list.append(Holiday(date: date(move.month, move.day), name: move.name))
        } else {
            list.append(Holiday(date: firstMonday(of: 5, year: year), name: "Early May bank holiday"))
        }
        if let move = moves["spring"] {
            list.append(Holiday(date: date(move.month, move.day), name: move.name))
        } else {
            list.append(Holiday(date: lastMonday(of: 5, year: year), name: "Spring bank holiday"))
        }
        list.append(Holiday(date: lastMonday(of: 8, year: year), name: "Summer bank holiday"))

        // Christmas on Saturday: Christmas Monday 27th, Boxing Day Tuesday 28th. On Sunday: Boxing Day
        // Monday 26th, Christmas Tuesday 27th. On Friday: Boxing Day (Saturday) moves to Monday 28th.
        let christmas = date(12, 25)
        switch christmas.weekday {
        case 6:
            list.append(Holiday(date: date(12, 27), name: "Christmas Day"))
            list.append(Holiday(date: date(12, 28), name: "Boxing Day"))
        case 7:
            list.append(Holiday(date: date(12, 27), name: "Christmas Day"))
            list.append(Holiday(date: date(12, 26), name: "Boxing Day"))
        case 5:
            list.append(Holiday(date: christmas, name: "Christmas Day"))
            list.append(Holiday(date: date(12, 28), name: "Boxing Day"))
        default:
            list.append(Holiday(date: christmas, name: "Christmas Day"))
            list.append(Holiday(date: date(12, 26), name: "Boxing Day"))
        }
        return list.sorted { $0.date < $1.date }
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus).
    public static func easterSunday(year: Int) -> CivilDate {
        let a = year % 19
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: year, month: month, day: day)!
    }

    static func firstMonday(of month: Int, year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)!
        return first.adding(days: (8 - first.weekday) % 7)
    }

    static func lastMonday(of month: Int, year: Int) -> CivilDate {
        let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!
        return last.adding(days: -((last.weekday + 6) % 7))
    }
}

// MARK: - ISO weeks

extension CivilDate {
    /// ISO 8601 week-numbering year and week: weeks start on Monday and week 1 is the week with the
    /// year's first Thursday, so 2026-12-31 is in 2026-W53 and 2024-12-30 in 2025-W01.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = adding(days: 4 - weekday)
        let januaryFirst = CivilDate(year: thursday.year, month: 1, day: 1)!
        return (thursday.year, (thursday.dayNumber - januaryFirst.dayNumber) / 7 + 1)
    }

    /// The ISO week as text, e.g. "2026-W03".
    public var isoWeekLabel: String {
        // By hand, as `description` is: String(format:) took a tenth of `schedule` on a national plan.
        let w = isoWeek
        return CivilDate.zeroPadded(w.year, 4) + "-W" + CivilDate.zeroPadded(w.week, 2)
    }

    /// English name of the weekday, e.g. "Friday".
    public var weekdayName: String { CivilDate.weekdayNames[weekday - 1] }

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}

// MARK: - Calendar data of a scenario

/// Days from `start` to `end`, both included, with the reason they are set aside (leave, a closure).
public struct DateRange: Sendable, Equatable {
    public var start: CivilDate
    public var end: CivilDate
    public var reason: String
    public init(start: CivilDate, end: CivilDate, reason: String = "") {
        self.start = start; self.end = end; self.reason = reason
    }
    public func contains(_ d: CivilDate) -> Bool { start <= d && d <= end }
}

/// A school term, first to last day, with its half-term holiday if it has one.
public struct Term: Sendable, Equatable {
    public var name: String
    public var start: CivilDate
    public var end: CivilDate
    public var halfTerm: DateRange?
    public init(name: String, start: CivilDate, end: CivilDate, halfTerm: DateRange? = nil) {
        self.name = name; self.start = start; self.end = end; self.halfTerm = halfTerm
    }
}

/// How visits are timed (`[visits]` in scenario.toml).
public struct VisitSettings: Sendable, Equatable {
    /// HH:MM, 24-hour.
    public var dayStart = "09:00"
    public var dayEnd = "15:30"
    /// Whether half-day visits (morning or afternoon) are allowed.
    public var halfDays = true
    public var morningEnd = "12:00"
    public var afternoonStart = "13:00"
    /// Calendar days between two visits of one adviser to one school.
    public var minGapDays = 7
    /// Default for advisers without a row in availability.csv.
    public var maxDaysPerWeek = 3
    public init() {}
}

/// When an adviser can work (a row of availability.csv).
public struct AdviserAvailability: Sendable, Equatable {
    public var adviser: String
    /// ISO weekdays 1 = Monday ... 7 = Sunday, sorted.
    public var weekdays: [Int]
    /// A subset of `weekdays`, sorted.
    public var preferredWeekdays: [Int]
    public var maxDaysPerWeek: Int
    public init(adviser: String, weekdays: [Int], preferredWeekdays: [Int] = [], maxDaysPerWeek: Int) {
        self.adviser = adviser; self.weekdays = weekdays.sorted(); self.preferredWeekdays = preferredWeekdays.sorted()
        self.maxDaysPerWeek = maxDaysPerWeek
    }
}

// MARK: - The programme calendar

/// Which days of the programme schools are open and advisers can visit: terms and half-terms, bank
/// holidays, one-off closures, each school's own closures, advisers' weekdays and leave.
public struct ProgrammeCalendar: Sendable {
    struct Block: Sendable { var start: CivilDate; var end: CivilDate }

    public let programmeStart: CivilDate
    public let programmeEnd: CivilDate
    /// England and Wales bank holidays within the programme dates.
    public let bankHolidays: [Holiday]
    /// Sorted: the weekdays of the programme inside a term, not in its half-term, not a bank holiday or
    /// extra closure. With no terms at all: every Monday to Friday of the programme that is not a bank
    /// holiday or extra closure.
    public let schoolDays: [CivilDate]
    /// Terms in date order.
    public let terms: [Term]

    private let schoolDaySet: Set<Int>
    private let holidayByDay: [Int: String]
    private let extraClosures: [DateRange]
    private let blocks: [Block]
    private let closures: [String: [DateRange]]
    private let leave: [String: [DateRange]]
    private let availability: [String: AdviserAvailability]
    private let defaultMaxDaysPerWeek: Int

    public init(scenario: Scenario) {
        let start = scenario.programme.start, end = scenario.programme.end
        programmeStart = start
        programmeEnd = end
        let holidays = start.year <= end.year
            ? (start.year...end.year).flatMap { BankHolidays.englandAndWales(year: $0) }.filter { start <= $0.date && $0.date <= end }
            : []
        bankHolidays = holidays
        var byDay: [Int: String] = [:]
        for h in holidays where byDay[h.date.dayNumber] == nil { byDay[h.date.dayNumber] = h.name }
        holidayByDay = byDay
        extraClosures = scenario.extraClosures
        terms = scenario.terms.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        closures = scenario.closures
        leave = scenario.leave
        availability = scenario.availability
        defaultMaxDaysPerWeek = scenario.visits.maxDaysPerWeek

        var days: [CivilDate] = []
        if start <= end {
            for n in start.dayNumber...end.dayNumber {
                let d = CivilDate(dayNumber: n)
                guard d.weekday <= 5, byDay[n] == nil, !scenario.extraClosures.contains(where: { $0.contains(d) }) else { continue }
                if !terms.isEmpty {
                    guard let term = terms.first(where: { $0.start <= d && d <= $0.end }) else { continue }
                    if let half = term.halfTerm, half.contains(d) { continue }
                }
                days.append(d)
            }
        }
        schoolDays = days
        schoolDaySet = Set(days.map(\.dayNumber))

        // Half-term blocks: each term split at its half-term, or at its midpoint when it has none; with no
        // terms the programme counts as one term. Blocks are clipped to the programme; empty ones dropped.
        let spans = terms.isEmpty ? [Term(name: "programme", start: start, end: end)] : terms
        var list: [Block] = []
        for term in spans {
            let halves: [Block]
            if let half = term.halfTerm {
                halves = [Block(start: term.start, end: half.start.adding(days: -1)), Block(start: half.end.adding(days: 1), end: term.end)]
            } else {
                let mid = term.start.adding(days: (term.end.dayNumber - term.start.dayNumber) / 2)
                halves = [Block(start: term.start, end: mid), Block(start: mid.adding(days: 1), end: term.end)]
            }
            for b in halves {
                let clipped = Block(start: max(b.start, start), end: min(b.end, end))
                if clipped.start <= clipped.end { list.append(clipped) }
            }
        }
        blocks = list
    }

    public func isSchoolDay(_ d: CivilDate) -> Bool { schoolDaySet.contains(d.dayNumber) }

    /// A school day and not one of that school's closures.
    public func isOpen(school: String, on d: CivilDate) -> Bool {
        isSchoolDay(d) && !(closures[school]?.contains { $0.contains(d) } ?? false)
    }

    /// The day is one of the adviser's weekdays (Monday to Friday without a row in availability.csv) and
    /// not in their leave.
    public func isAvailable(adviser: String, on d: CivilDate) -> Bool {
        whyUnavailable(adviser: adviser, on: d) == nil
    }

    public func weekdays(adviser: String) -> [Int] { availability[adviser]?.weekdays ?? [1, 2, 3, 4, 5] }

    public func maxDaysPerWeek(adviser: String) -> Int { availability[adviser]?.maxDaysPerWeek ?? defaultMaxDaysPerWeek }

    /// True if `weekday` (ISO, 1 = Monday) is one of the adviser's preferred weekdays.
    public func prefers(adviser: String, weekday: Int) -> Bool {
        availability[adviser]?.preferredWeekdays.contains(weekday) ?? false
    }

    /// Number of half-term blocks in the programme.
    public var blockCount: Int { blocks.count }

    /// 0-based index, in date order, of the half-term block holding `d`; nil outside terms and in half-terms.
    public func block(of d: CivilDate) -> Int? {
        blocks.firstIndex { $0.start <= d && d <= $0.end }
    }

    /// First and last day of a block (clipped to the programme).
    public func blockDates(_ index: Int) -> (start: CivilDate, end: CivilDate) { (blocks[index].start, blocks[index].end) }

    /// Nil if the school is open on `d`; else why not, e.g. "weekend", "half-term (Spring 2026)",
    /// "bank holiday: Easter Monday", "not in term", "closed: KS2 SATs week".
    public func whyClosed(school: String, on d: CivilDate) -> String? {
        if d < programmeStart || d > programmeEnd { return "outside the programme (\(programmeStart) to \(programmeEnd))" }
        if d.weekday >= 6 { return "weekend" }
        if let name = holidayByDay[d.dayNumber] { return "bank holiday: \(name)" }
        if let closure = extraClosures.first(where: { $0.contains(d) }) { return "closed: \(closure.reason.isEmpty ? "extra closure" : closure.reason)" }
        if !terms.isEmpty {
            guard let term = terms.first(where: { $0.start <= d && d <= $0.end }) else { return "not in term" }
            if let half = term.halfTerm, half.contains(d) { return "half-term (\(term.name))" }
        }
        if let closure = closures[school]?.first(where: { $0.contains(d) }) {
            return "closed: \(closure.reason.isEmpty ? "school closure" : closure.reason)"
        }
        return nil
    }

    /// Nil if the adviser can work on `d`; else why not, e.g. "does not work on Fridays", "on leave: surgery".
    public func whyUnavailable(adviser: String, on d: CivilDate) -> String? {
        if !weekdays(adviser: adviser).contains(d.weekday) { return "does not work on \(d.weekdayName)s" }
        if let range = leave[adviser]?.first(where: { $0.contains(d) }) {
            return range.reason.isEmpty ? "on leave" : "on leave: \(range.reason)"
        }
        return nil
    }
}

/// Minutes since midnight of a clock time written `H:MM` or `HH:MM` (00:00-23:59); nil for anything else.
/// The one parser of visit times, for settings, scheduling, checking and views alike.
public func minutesSinceMidnight(_ text: String) -> Int? {
    // `H:MM` or `HH:MM` in ASCII digits, read from the bytes: every visit of a plan is read this way.
    let bytes = Array(text.utf8)
    guard bytes.count == 4 || bytes.count == 5, bytes[bytes.count - 3] == UInt8(ascii: ":") else { return nil }
    var h = 0, m = 0
    for (i, byte) in bytes.enumerated() where i != bytes.count - 3 {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        if i < bytes.count - 3 { h = h * 10 + Int(byte - UInt8(ascii: "0")) } else { m = m * 10 + Int(byte - UInt8(ascii: "0")) }
    }
    guard (0...23).contains(h), (0...59).contains(m) else { return nil }
    return h * 60 + m
}

/// Seconds elapsed since `start`: the one conversion used for every stage timing.
public func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = start.duration(to: .now).components
    return Double(d.seconds) + Double(d.attoseconds) * 1e-18
}
