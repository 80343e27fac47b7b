import AdviserModel
import AdviserSolver

/// One dated visit as a calendar entry, ready to be written in any of the export formats.
public struct CalendarEvent: Sendable, Equatable {
    /// Stable identifier: the same visit (adviser, school, date, start) gives the same UID on every export, so a
    /// calendar program can tell an event it has already imported from a new one. A visit moved to another date
    /// or start time is a new event with a new UID.
    public var uid: String
    /// Adviser id.
    public var adviser: String
    /// "Advisory visit: <school name>" in one adviser's calendar; "<adviser name> at <school name>" when every
    /// adviser's visits are exported together.
    public var summary: String
    /// "<school name>, <local authority>".
    public var location: String
    /// Lines joined by "\n": areas, "Visit k of n", adviser name and role, programme name.
    public var description: String
    public var date: CivilDate
    /// "HH:MM", Europe/London local time.
    public var start: String
    /// "HH:MM", Europe/London local time.
    public var end: String

    public init(uid: String, adviser: String, summary: String, location: String, description: String,
                date: CivilDate, start: String, end: String) {
        self.uid = uid; self.adviser = adviser; self.summary = summary; self.location = location
        self.description = description; self.date = date; self.start = start; self.end = end
    }
}

public enum CalendarFormat: String, CaseIterable, Sendable {
    case googleCSV = "google-csv"
    case outlookCSV = "outlook-csv"
    case ics

    /// The file name extension a calendar program expects for this format.
    public var fileExtension: String { self == .ics ? "ics" : "csv" }
}

/// A plan's visits as files that Google Calendar, Outlook and any iCalendar (RFC 5545) program can import.
///
/// Every function is pure: the same plan gives the same bytes (no clock, no locale, no time zone database).
/// Visit times in a plan are Europe/London wall-clock times; the CSV formats carry them as written (calendar
/// programs read CSV times in the importing calendar's own zone) and the iCalendar file labels them with
/// TZID=Europe/London and a VTIMEZONE that defines the UK rules.
public enum CalendarExport {
    public static let timeZone = "Europe/London"

    // MARK: Events

    /// One event per visit of `plan` (only `adviser`'s when given), sorted by date, start, adviser, school.
    ///
    /// The summary names the school; when every adviser's visits are exported together (`adviser == nil`)
    /// it names the adviser too, as "<adviser name> at <school name>", so that a shared calendar is readable.
    /// "Visit k of n" counts this adviser's visits to this school in date order over the whole plan.
    public static func events(from plan: Plan, adviser: String? = nil) -> [CalendarEvent] {
        let forEveryone = adviser == nil
        var advisers: [String: Plan.AdviserInfo] = [:]
        for a in plan.advisers where advisers[a.id] == nil { advisers[a.id] = a }
        var schools: [String: Plan.SchoolInfo] = [:]
        for s in plan.schools where schools[s.id] == nil { schools[s.id] = s }

        // k of n: number each adviser's visits to each school by date and start time (plan order breaks ties).
        struct Pair: Hashable { var adviser: String; var school: String }
        var byPair: [Pair: [Int]] = [:]
        for (i, v) in plan.visits.enumerated() { byPair[Pair(adviser: v.adviser, school: v.school), default: []].append(i) }
        var ordinal = [Int](repeating: 0, count: plan.visits.count)
        var count = [Int](repeating: 0, count: plan.visits.count)
        for indices in byPair.values {
            let ordered = indices.sorted { a, b in
                let (x, y) = (plan.visits[a], plan.visits[b])
                if x.date != y.date { return x.date < y.date }
                if clockOrder(x.start, y.start) != 0 { return clockOrder(x.start, y.start) < 0 }
                return a < b
            }
            for (k, i) in ordered.enumerated() { ordinal[i] = k + 1; count[i] = ordered.count }
        }

        var chosen = Array(plan.visits.indices)
        if let adviser { chosen = chosen.filter { plan.visits[$0].adviser == adviser } }
        chosen.sort { a, b in
            let (x, y) = (plan.visits[a], plan.visits[b])
            if x.date != y.date { return x.date < y.date }
            let c = clockOrder(x.start, y.start)
            if c != 0 { return c < 0 }
            if x.adviser != y.adviser { return x.adviser < y.adviser }
            if x.school != y.school { return x.school < y.school }
            return a < b
        }

        return chosen.map { i in
            let v = plan.visits[i]
            let person = advisers[v.adviser]
            let school = schools[v.school]
            let adviserName = nonEmpty(person?.name) ?? v.adviser
            let schoolName = nonEmpty(school?.name) ?? v.school
            var location = schoolName
            if let la = nonEmpty(school?.localAuthority) { location += ", " + la }
            var lines: [String] = []
            if !v.areas.isEmpty { lines.append("Areas: " + v.areas.joined(separator: ", ")) }
            lines.append("Visit \(ordinal[i]) of \(count[i])")
            lines.append("Adviser: " + adviserName + (nonEmpty(person?.role).map { " (\($0))" } ?? ""))
            if let programme = nonEmpty(plan.scenario.name) { lines.append("Programme: " + programme) }
            return CalendarEvent(
                uid: uid(adviser: v.adviser, school: v.school, date: v.date, start: v.start),
                adviser: v.adviser,
                summary: forEveryone ? "\(adviserName) at \(schoolName)" : "Advisory visit: \(schoolName)",
                location: location,
                description: lines.joined(separator: "\n"),
                date: v.date, start: v.start, end: v.end)
        }
    }

    /// "<adviser>-<school>-<yyyymmdd>T<hhmm>@adviser-planner". In the adviser and school ids letters and digits
    /// are kept and every other byte of their UTF-8 is written as "." and two hex digits ("-" becomes ".2D",
    /// "." becomes ".2E"), so the UID uses only [A-Za-z0-9.-@] and two different visits never share a UID
    /// (replacing with a fixed character would let "A-1"+"X" and "A"+"1-X" collide).
    static func uid(adviser: String, school: String, date: CivilDate, start: String) -> String {
        func encode(_ id: String) -> String {
            var out = ""
            for byte in id.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    out.append(Character(Unicode.Scalar(byte)))
                default:
                    out += "." + hex2(Int(byte))
                }
            }
            return out
        }
        let time = clock(start).map { pad2($0.hour) + pad2($0.minute) } ?? encode(start)
        return "\(encode(adviser))-\(encode(school))-\(compactDate(date))T\(time)@adviser-planner"
    }

    // MARK: CSV (RFC 4180)

    /// Google Calendar's CSV import columns, in the order of Google's help page.
    public static let googleColumns = ["Subject", "Start Date", "Start Time", "End Date", "End Time", "All Day Event",
                                       "Description", "Location", "Private"]

    /// Google Calendar CSV: dates MM/DD/YYYY and times "09:00 AM" / "03:30 PM" as Google's help shows them.
    public static func googleCSV(_ events: [CalendarEvent]) -> String {
        var out = csvRow(googleColumns)
        for e in events {
            out += csvRow([e.summary, usDate(e.date), twelveHour(e.start), usDate(e.date), twelveHour(e.end), "False",
                           e.description, e.location, "True"])
        }
        return out
    }

    /// The columns classic Outlook writes when it exports a calendar to "Comma Separated Values", and reads
    /// back by name when importing one (File > Open & Export > Import/Export > Import from another program or file).
    public static let outlookColumns = ["Subject", "Start Date", "Start Time", "End Date", "End Time", "All day event",
                                        "Reminder on/off", "Reminder Date", "Reminder Time", "Meeting Organizer",
                                        "Required Attendees", "Optional Attendees", "Meeting Resources",
                                        "Billing Information", "Categories", "Description", "Location", "Mileage",
                                        "Priority", "Private", "Sensitivity", "Show time as"]

    /// Outlook CSV. Outlook reads the date and time cells with the Windows regional settings of the PC doing the
    /// import, so "01/12/2026" is 12 January on a US-English PC and 1 December on a UK one — silently, whenever the
    /// day is 12 or less — and neither MM/DD/YYYY nor DD/MM/YYYY is right for everyone. Dates are therefore written
    /// as ISO 8601 "2026-01-12": with the four-digit year first there is no day/month order to guess, so the same
    /// file means the same dates on UK and US settings. Times are 24-hour "09:00:00", as Outlook itself exports
    /// them under UK settings, so there is no AM/PM word to localise. No reminder; "Show time as" 2 is Busy;
    /// Private and Sensitivity match the Google file's "Private: True"; the category "Advisory visit" lets the
    /// imported visits be found (and deleted before a re-import) together.
    public static func outlookCSV(_ events: [CalendarEvent]) -> String {
        var out = csvRow(outlookColumns)
        for e in events {
            let date = isoDate(e.date)
            out += csvRow([e.summary, date, clockSeconds(e.start), date, clockSeconds(e.end), "False",
                           "False", "", "", "",
                           "", "", "",
                           "", "Advisory visit", e.description, e.location, "",
                           "Normal", "True", "Private", "2"])
        }
        return out
    }

    static func csvRow(_ cells: [String]) -> String { SpreadsheetCSV.row(cells) }

    static func csvCell(_ text: String) -> String { SpreadsheetCSV.cell(text) }

    // MARK: iCalendar (RFC 5545)

    /// An iCalendar file: one VEVENT per event, times in Europe/London defined by an embedded VTIMEZONE.
    /// `name` becomes X-WR-CALNAME (the calendar's name in Google and Apple Calendar); `stamp` is the DTSTAMP
    /// of every event, a UTC date-time such as "20260105T000000Z". Lines end in CRLF and are folded at 75 octets.
    public static func iCalendar(_ events: [CalendarEvent], name: String, stamp: String) -> String {
        // Each line folded and appended as it is made: a national calendar has 2.5 million lines, and arrays of
        // them took most of a gigabyte.
        var text = ""
        func add(_ lines: [String]) {
            for line in lines {
                for piece in fold(line) { text += piece; text += "\r\n" }
            }
        }
        add([
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//adviser-planner//EN",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:" + escapeText(name),
        ])
        add(londonTimeZone)
        for e in events {
            add([
                "BEGIN:VEVENT",
                "UID:" + e.uid,
                "DTSTAMP:" + stamp,
                "DTSTART;TZID=\(timeZone):" + compactDate(e.date) + "T" + compactClock(e.start),
                "DTEND;TZID=\(timeZone):" + compactDate(e.date) + "T" + compactClock(e.end),
                "SUMMARY:" + escapeText(e.summary),
                "LOCATION:" + escapeText(e.location),
                "DESCRIPTION:" + escapeText(e.description),
                "END:VEVENT",
            ])
        }
        add(["END:VCALENDAR"])
        return text
    }

    /// UK civil time since 1996 (EU rules): BST (+0100) from 01:00 GMT on the last Sunday of March, GMT from
    /// 02:00 BST (01:00 GMT) on the last Sunday of October. Each DTSTART is a local time in the offset in force
    /// before the change, anchored on the rule's 1970 dates.
    static let londonTimeZone = [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]

    /// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma are escaped, CRLF, CR and LF become `\n`,
    /// and other control characters, which TEXT may not contain, are dropped (tab is kept).
    static func escapeText(_ text: String) -> String {
        // Byte by byte (a control character or one of these four is never part of a multi-byte character):
        // appending scalar by scalar took a third of a national calendar's time.
        let backslash = UInt8(ascii: "\\"), lineBreak = UInt8(ascii: "n")
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        var afterCR = false
        for byte in text.utf8 {
            defer { afterCR = byte == 0x0D }
            switch byte {
            case backslash, UInt8(ascii: ";"), UInt8(ascii: ","): out.append(backslash); out.append(byte)
            case 0x0D: out.append(backslash); out.append(lineBreak)
            case 0x0A: if !afterCR { out.append(backslash); out.append(lineBreak) }
            case 0x09: out.append(byte)
            case 0x00...0x1F, 0x7F: break
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits a content line into lines of at most 75 octets (RFC 5545 3.1); continuation lines start with one
    /// space, which counts towards their 75. A cut never falls inside a UTF-8 multi-octet character.
    static func fold(_ line: String) -> [String] {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return [line] }
        var pieces: [String] = []
        var start = 0
        var limit = 75
        while start < bytes.count {
            var end = min(start + limit, bytes.count)
            // 10xxxxxx is a continuation octet: back up to the first octet of its character.
            while end < bytes.count && end > start && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            pieces.append((limit == 75 ? "" : " ") + String(decoding: bytes[start..<end], as: UTF8.self))
            start = end
            limit = 74
        }
        return pieces
    }

    // MARK: One call

    /// The visits of `plan` (only `adviser`'s when given) in `format`.
    ///
    /// The iCalendar name is the programme name, plus the adviser's name for one adviser's calendar. DTSTAMP is the
    /// programme start date at 00:00 UTC (the first visit's date when the plan has no programme start, else
    /// 1970-01-01), not the time of export: exporting the same plan must give the same bytes, so that files can be
    /// compared, kept under version control and pinned in tests. RFC 5545 asks, for a file without METHOD such as
    /// this one, for the time the event information was last revised; the plan carries no such time, and a fixed
    /// date from the plan is as truthful as the export clock would be.
    public static func render(_ format: CalendarFormat, plan: Plan, adviser: String?) -> String {
        let list = events(from: plan, adviser: adviser)
        switch format {
        case .googleCSV: return googleCSV(list)
        case .outlookCSV: return outlookCSV(list)
        case .ics:
            var name = plan.scenario.name
            if let adviser {
                let person = nonEmpty(plan.adviser(adviser)?.name) ?? adviser
                name = name.isEmpty ? person : name + " - " + person
            }
            return iCalendar(list, name: name, stamp: stamp(for: plan))
        }
    }

    /// DTSTAMP for `render`: see there for why it does not come from the clock.
    static func stamp(for plan: Plan) -> String {
        let date = plan.scenario.start ?? plan.visits.map(\.date).min() ?? CivilDate(dayNumber: 0)
        return compactDate(date) + "T000000Z"
    }

    // MARK: Dates and times

    /// "HH:MM" (or "H:MM", or with ":SS") as hour and minute; nil for anything else.
    static func clock(_ text: String) -> (hour: Int, minute: Int)? {
        // Plans carry HH:MM; accept a trailing ":SS" as well by ignoring it.
        let hhmm = text.split(separator: ":", omittingEmptySubsequences: false).count == 3 ? String(text.dropLast(3)) : text
        return minutesSinceMidnight(hhmm).map { ($0 / 60, $0 % 60) }
    }

    /// Orders times by the clock ("9:00" before "10:00"); text that is not a time sorts after, by its characters.
    static func clockOrder(_ a: String, _ b: String) -> Int {
        switch (clock(a), clock(b)) {
        case let (x?, y?): return (x.hour * 60 + x.minute) - (y.hour * 60 + y.minute)
        case (_?, nil): return -1
        case (nil, _?): return 1
        case (nil, nil): return a == b ? 0 : (a < b ? -1 : 1)
        }
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func pad4(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
    static func hex2(_ n: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[n / 16], digits[n % 16]])
    }

    static func compactDate(_ d: CivilDate) -> String { pad4(d.year) + pad2(d.month) + pad2(d.day) }
    static func isoDate(_ d: CivilDate) -> String { pad4(d.year) + "-" + pad2(d.month) + "-" + pad2(d.day) }
    static func usDate(_ d: CivilDate) -> String { pad2(d.month) + "/" + pad2(d.day) + "/" + pad4(d.year) }

    /// "09:00" → "09:00 AM", "15:30" → "03:30 PM", "00:15" → "12:15 AM", "12:00" → "12:00 PM".
    static func twelveHour(_ time: String) -> String {
        guard let (h, m) = clock(time) else { return time }
        let hour = h % 12 == 0 ? 12 : h % 12
        return pad2(hour) + ":" + pad2(m) + (h < 12 ? " AM" : " PM")
    }

    static func clockSeconds(_ time: String) -> String {
        guard let (h, m) = clock(time) else { return time }
        return pad2(h) + ":" + pad2(m) + ":00"
    }

    static func compactClock(_ time: String) -> String {
        guard let (h, m) = clock(time) else { return String(time.filter { $0.isASCII && $0.isNumber }.prefix(6)) }
        return pad2(h) + pad2(m) + "00"
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}

/// CSV meant to be opened in a spreadsheet: the calendar exports and the `--format csv` roster and schedule.
public enum SpreadsheetCSV {
    /// One record: RFC 4180 fields joined by commas, ended by CRLF.
    public static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// One RFC 4180 field. A cell that a spreadsheet would run as a formula — one starting with `=`, `+`, `-`,
    /// `@`, tab or carriage return — is neutralised by prefixing a single quote `'`, as the OWASP guidance on
    /// CSV injection advises: these files are routinely opened in Excel, and a school name such as
    /// `=HYPERLINK(...)` must stay text there. The field is then quoted when it contains a comma, a quote,
    /// CR or LF, with quotes doubled.
    public static func cell(_ text: String) -> String {
        // On the UTF-8 bytes (every character looked for is ASCII, so never part of a longer one): scalar by
        // scalar, quoting took a third of a national export.
        let quote = UInt8(ascii: "\""), bytes = text.utf8
        let formula = bytes.first.map { [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains($0) } ?? false
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0D || $0 == 0x0A }) else {
            return formula ? "'" + text : text
        }
        var quoted: [UInt8] = [quote]
        quoted.reserveCapacity(bytes.count + 4)
        if formula { quoted.append(UInt8(ascii: "'")) }
        for byte in bytes {
            if byte == quote { quoted.append(quote) }
            quoted.append(byte)
        }
        quoted.append(quote)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// A figure for a spreadsheet: at most two decimals, no needless zeros, a point as the decimal mark whatever
    /// the locale (2, 2.5, 22.43). Figures in these files are never negative, so none is mistaken for a formula.
    public static func number(_ x: Double) -> String {
        let cents = (x * 100).rounded()
        if cents == 0 { return "0" }
        let whole = Int((abs(cents) / 100).rounded(.towardZero))
        let fraction = Int(abs(cents).truncatingRemainder(dividingBy: 100))
        var text = (cents < 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = fraction < 10 ? "0\(fraction)" : "\(fraction)"
            if digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}
