import Foundation

/// The calendar parts of `scenario.toml`: `[[terms]]`, `[calendar]` and `[visits]`.
extension ManifestReader {
    /// Reads `[[terms]]`: each needs `name`, `start` and `end`, optionally `half_term_start` and
    /// `half_term_end`. Terms may not overlap, and each must share at least a day with the programme.
    mutating func readTerms(programme: (start: CivilDate, end: CivilDate)?, log: inout DiagnosticLog) -> [Term] {
        guard let entry = root.entry("terms") else { return [] }
        let shapeMessage = "`terms` must be written as one [[terms]] table per term (double brackets), each with name, start and end"
        guard case .array(let items) = entry.node.value else {
            log.add(file, entry.keyLine, entry.keyColumn, shapeMessage)
            return []
        }
        struct Placed { var term: Term; var startNode: TOMLNode }
        var placed: [Placed] = []
        var names: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard case .table(let table) = item.value else {
                log.add(file, item.line, item.column, shapeMessage)
                continue
            }
            let number = index + 1
            if table.entries.isEmpty && table.unreadableKeys.isEmpty && !table.hasUnreadableLine {
                // Usually a [[terms]] line written twice: one message, not one per missing key.
                log.add(file, item.line, item.column, "term \(number) is empty: a [[terms]] line with nothing under it; remove the line or give the term name, start and end")
                continue
            }
            func required(_ key: String, _ example: String) -> TOMLNode? {
                if let node = table[key] { return node }
                if table.unreadableKeys.contains(key) || table.hasUnreadableLine { return nil }
                log.add(file, item.line, item.column, "term \(number) has no `\(key)`; add e.g. `\(key) = \(example)`")
                return nil
            }
            var name: String?
            if let node = required("name", "\"Autumn 2026\"") {
                if case .string(let text) = node.value, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    if let first = names[text] {
                        log.add(file, node.line, node.column, "term name \"\(text)\" is used twice (first on line \(first)); give each term its own name")
                    } else {
                        names[text] = node.line
                        name = text
                    }
                } else if case .string = node.value {
                    log.add(file, node.line, node.column, "`terms.name` is empty")
                } else {
                    log.add(file, node.line, node.column, "`terms.name` must be text in double quotes; found \(node.typeName)")
                }
            }
            let startNode = required("start", "2026-09-01")
            let endNode = required("end", "2026-12-18")
            let start = startNode.flatMap { dateValue($0, "terms.start", log: &log) }
            let end = endNode.flatMap { dateValue($0, "terms.end", log: &log) }
            let halfStartNode = table["half_term_start"], halfEndNode = table["half_term_end"]
            let halfStart = halfStartNode.flatMap { dateValue($0, "terms.half_term_start", log: &log) }
            let halfEnd = halfEndNode.flatMap { dateValue($0, "terms.half_term_end", log: &log) }
            let label = name.map { "term \"\($0)\"" } ?? "term \(number)"
            guard let start, let end, let startNode, let endNode else { continue }
            guard start <= end else {
                log.add(file, endNode.line, endNode.column, "\(label) ends (\(end)) before it starts (\(start))")
                continue
            }
            var halfTerm: DateRange?
            var halfOK = true
            switch (halfStartNode, halfEndNode) {
            case (nil, nil): break
            case (let s?, nil):
                log.add(file, s.line, s.column, "\(label) has `half_term_start` but no `half_term_end`; give both or neither")
                halfOK = false
            case (nil, let e?):
                log.add(file, e.line, e.column, "\(label) has `half_term_end` but no `half_term_start`; give both or neither")
                halfOK = false
            case (let s?, let e?):
                guard let halfStart, let halfEnd else { halfOK = false; break }
                if halfEnd < halfStart {
                    log.add(file, e.line, e.column, "the half-term of \(label) ends (\(halfEnd)) before it starts (\(halfStart))")
                    halfOK = false
                } else if halfStart <= start || halfEnd >= end {
                    log.add(file, s.line, s.column, "the half-term of \(label) (\(halfStart) to \(halfEnd)) must lie inside the term (\(start) to \(end)), with term days before and after it")
                    halfOK = false
                } else {
                    halfTerm = DateRange(start: halfStart, end: halfEnd, reason: "half-term")
                }
            }
            if let programme, end < programme.start || start > programme.end {
                log.add(file, startNode.line, startNode.column, "\(label) (\(start) to \(end)) is outside the programme (\(programme.start) to \(programme.end))")
                continue
            }
            guard let name, halfOK else { continue }
            placed.append(Placed(term: Term(name: name, start: start, end: end, halfTerm: halfTerm), startNode: startNode))
        }
        // Overlaps are reported on the term written later in the file.
        var accepted: [Placed] = []
        for p in placed {
            if let other = accepted.first(where: { $0.term.start <= p.term.end && p.term.start <= $0.term.end }) {
                log.add(file, p.startNode.line, p.startNode.column,
                        "term \"\(p.term.name)\" (\(p.term.start) to \(p.term.end)) overlaps term \"\(other.term.name)\" (\(other.term.start) to \(other.term.end))")
                continue
            }
            accepted.append(p)
        }
        return accepted.map(\.term).sorted { $0.start < $1.start }
    }

    /// Reads `[calendar]`: `bank_holidays` (only "england-and-wales") and `extra_closures`, a list of dates or
    /// of inline tables `{ start = ..., end = ..., reason = "..." }`.
    mutating func readCalendar(programme: (start: CivilDate, end: CivilDate)?, log: inout DiagnosticLog) -> [DateRange] {
        if let text = string("calendar", "bank_holidays", log: &log), text != "england-and-wales", let node = node("calendar", "bank_holidays") {
            log.add(file, node.line, node.column, "`calendar.bank_holidays` must be \"england-and-wales\" (the only calendar supported so far); found \"\(text)\"; list other closures in `extra_closures`")
        }
        use("calendar", "extra_closures")
        guard let list = node("calendar", "extra_closures") else { return [] }
        let shape = "`calendar.extra_closures` must be a list of dates, e.g. [2026-05-08], or of { start = 2026-05-08, end = 2026-05-08, reason = \"...\" }"
        guard case .array(let items) = list.value else {
            log.add(file, list.line, list.column, shape)
            return []
        }
        var ranges: [DateRange] = []
        var seen: [CivilDate: Int] = [:]
        for item in items {
            var range: DateRange?
            switch item.value {
            case .date, .string:
                if let d = dateValue(item, "calendar.extra_closures", log: &log) { range = DateRange(start: d, end: d, reason: "extra closure") }
            case .table(let table):
                var ok = true
                for entry in table.entries where !["start", "end", "reason"].contains(entry.key) {
                    var message = "unknown key `\(entry.key)` in an extra closure"
                    if let hint = closestMatch(to: entry.key, in: ["start", "end", "reason"]) { message += "; did you mean `\(hint)`?" }
                    else { message += "; it takes start, end and reason" }
                    log.add(file, entry.keyLine, entry.keyColumn, message)
                    ok = false
                }
                guard let startNode = table["start"] else {
                    log.add(file, item.line, item.column, "an extra closure needs `start`, e.g. { start = 2026-05-08, reason = \"...\" }")
                    continue
                }
                let start = dateValue(startNode, "calendar.extra_closures.start", log: &log)
                var end = start
                if let endNode = table["end"] {
                    end = dateValue(endNode, "calendar.extra_closures.end", log: &log)
                    if let start, let e = end, e < start {
                        log.add(file, endNode.line, endNode.column, "this extra closure ends (\(e)) before it starts (\(start))")
                        ok = false
                    }
                }
                var reason = "extra closure"
                if let reasonNode = table["reason"] {
                    if case .string(let text) = reasonNode.value { if !text.isEmpty { reason = text } }
                    else {
                        log.add(file, reasonNode.line, reasonNode.column, "`reason` must be text in double quotes; found \(reasonNode.typeName)")
                        ok = false
                    }
                }
                if ok, let start, let end { range = DateRange(start: start, end: end, reason: reason) }
            default:
                log.add(file, item.line, item.column, shape)
            }
            guard let range else { continue }
            if let programme, range.end < programme.start || range.start > programme.end {
                log.add(file, item.line, item.column, "extra closure \(describe(range)) is outside the programme (\(programme.start) to \(programme.end))")
                continue
            }
            if range.start == range.end, range.start.weekday >= 6 {
                log.add(file, item.line, item.column, "extra closure \(range.start) is a \(range.start.weekdayName); schools are closed at weekends anyway")
                continue
            }
            if let first = seen[range.start] {
                log.add(file, item.line, item.column, "extra closure \(range.start) is listed twice (first on line \(first))")
                continue
            }
            seen[range.start] = item.line
            ranges.append(range)
        }
        return ranges.sorted { $0.start < $1.start }
    }

    private func describe(_ range: DateRange) -> String {
        range.start == range.end ? "\(range.start)" : "\(range.start) to \(range.end)"
    }

    /// Reads `[visits]`: times of the visit day and its halves, the gap between visits and days per week.
    mutating func readVisits(log: inout DiagnosticLog) -> VisitSettings {
        var visits = VisitSettings()
        var minutes: [String: Int] = [:]
        for key in ["day_start", "day_end", "morning_end", "afternoon_start"] {
            guard let text = string("visits", key, log: &log), let node = node("visits", key) else { continue }
            guard let (h, m) = ManifestReader.parseTime(text) else {
                log.add(file, node.line, node.column, "`visits.\(key)` must be a time written HH:MM (24-hour), e.g. \"09:00\"; found \"\(text)\"")
                continue
            }
            let normal = String(format: "%02d:%02d", h, m)
            minutes[key] = h * 60 + m
            switch key {
            case "day_start": visits.dayStart = normal
            case "day_end": visits.dayEnd = normal
            case "morning_end": visits.morningEnd = normal
            default: visits.afternoonStart = normal
            }
        }
        if let flag = bool("visits", "half_days", log: &log) { visits.halfDays = flag }
        if let n = integer("visits", "min_gap_days", range: 0...90, log: &log) { visits.minGapDays = n }
        if let n = integer("visits", "max_days_per_week", range: 1...7, log: &log) { visits.maxDaysPerWeek = n }

        // Order of the times: day_start < morning_end <= afternoon_start < day_end (halves only with half_days).
        // A bad time was reported above; it is not compared again.
        let values = ["day_start": visits.dayStart, "day_end": visits.dayEnd, "morning_end": visits.morningEnd, "afternoon_start": visits.afternoonStart]
        func value(_ key: String) -> Int? {
            if let m = minutes[key] { return m }
            if node("visits", key) != nil { return nil }  // given but not a time
            let (h, m) = ManifestReader.parseTime(values[key]!)!
            return h * 60 + m
        }
        var reported: Set<String> = []  // one message per misplaced time
        func check(_ later: String, _ earlier: String, strictly: Bool, _ relation: String) {
            guard !reported.contains(later), let a = value(later), let b = value(earlier), strictly ? a <= b : a < b else { return }
            reported.insert(later)
            let blame = node("visits", later) ?? node("visits", earlier)
            let at = blame.map { ($0.line, $0.column) } ?? (1, 1)
            log.add(file, at.0, at.1, "`visits.\(later)` (\(values[later]!)) must be \(relation) `visits.\(earlier)` (\(values[earlier]!))")
        }
        check("day_end", "day_start", strictly: true, "after")
        if visits.halfDays {
            check("morning_end", "day_start", strictly: true, "after")
            check("afternoon_start", "morning_end", strictly: false, "no earlier than")
            check("day_end", "afternoon_start", strictly: true, "after")
        }
        return visits
    }

    /// `H:MM` or `HH:MM`, 00:00-23:59.
    static func parseTime(_ text: String) -> (Int, Int)? {
        minutesSinceMidnight(text).map { ($0 / 60, $0 % 60) }
    }

    /// A date from a TOML node: a TOML date, or text holding one.
    func dateValue(_ node: TOMLNode, _ label: String, log: inout DiagnosticLog) -> CivilDate? {
        switch node.value {
        case .date(let d): return d
        case .string(let s):
            if let d = CivilDate(iso: s) { return d }
            log.add(file, node.line, node.column, "`\(label)` must be a date written YYYY-MM-DD; found \"\(s)\"")
        default:
            log.add(file, node.line, node.column, "`\(label)` must be a date written YYYY-MM-DD; found \(node.typeName)")
        }
        return nil
    }

    mutating func integer(_ section: String, _ key: String, range: ClosedRange<Int>, log: inout DiagnosticLog) -> Int? {
        use(section, key)
        guard let node = node(section, key) else { return nil }
        guard case .integer(let n) = node.value else {
            log.add(file, node.line, node.column, "`\(section).\(key)` must be a whole number; found \(node.typeName)")
            return nil
        }
        guard range.contains(n) else {
            log.add(file, node.line, node.column, "`\(section).\(key)` must be between \(range.lowerBound) and \(range.upperBound); found \(n)")
            return nil
        }
        return n
    }
}
